package io.facestream.inference.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-made .npy files (laid out as numpy.lib.format writes them); no shared data needed. */
class NpyTest {

    @Test
    void readsFloat32Version1(@TempDir Path tmp) throws IOException {
        ByteBuffer payload = le(6 * 4);
        for (int i = 0; i < 6; i++) {
            payload.putFloat(i * 0.5f - 1f);
        }
        Path f = tmp.resolve("a.npy");
        Files.write(f, npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", payload.array()));
        Npy a = Npy.read(f);
        assertEquals(Npy.F4, a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, a.floats());
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1, 1.5}, a.doubles());
    }

    @Test
    void readsFloat64Version2WithOddSpacingAndKeyOrder() {
        ByteBuffer payload = le(3 * 8);
        payload.putDouble(Math.PI).putDouble(-2).putDouble(1e-300);
        Npy a = Npy.parse(npy(2, "{\"shape\":(3,),\"fortran_order\" :False , 'descr':'<f8'}", payload.array()));
        assertEquals(Npy.F8, a.dtype());
        assertArrayEquals(new int[] {3}, a.shape());
        assertArrayEquals(new double[] {Math.PI, -2, 1e-300}, a.doubles());
        assertEquals((float) Math.PI, a.floats()[0]);
    }

    @Test
    void readsUint8AndScalarAndEmpty() {
        Npy u = Npy.parse(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2), }",
                new byte[] {0, 1, (byte) 200, (byte) 255}));
        assertArrayEquals(new int[] {0, 1, 200, 255}, u.ints());
        assertArrayEquals(new byte[] {0, 1, (byte) 200, (byte) 255}, u.bytes());
        assertArrayEquals(new float[] {0, 1, 200, 255}, u.floats());

        Npy scalar = Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", le(4).putFloat(7f)
                .array()));
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {7f}, scalar.floats());

        Npy empty = Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", new byte[0]));
        assertEquals(0, empty.size());
    }

    @Test
    void rejectsUnsupportedFiles() {
        byte[] four = new byte[4];
        assertThrows(IllegalArgumentException.class,
                () -> Npy.parse(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", four)));
        assertThrows(IllegalArgumentException.class,
                () -> Npy.parse(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", four)));
        assertThrows(IllegalArgumentException.class,
                () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", four)));
        assertThrows(IllegalArgumentException.class,
                () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", four)));
        assertThrows(IllegalArgumentException.class,
                () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False 'shape': (1,), }", four)));
        assertThrows(IllegalArgumentException.class, () -> Npy.parse("not an npy file".getBytes()));
        assertThrows(IllegalStateException.class,
                () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", four)).ints());
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Builds a file like numpy does: header padded with spaces and a newline so the data is 64-byte aligned. */
    private static byte[] npy(int version, String dict, byte[] payload) {
        int prefix = version == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(dict);
        while ((prefix + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer len = le(version == 1 ? 2 : 4);
        if (version == 1) {
            len.putShort((short) header.length);
        } else {
            len.putInt(header.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(header);
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
