package io.facestream.inference.mtcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.testing.SharedModels;
import io.facestream.vision.OpenCvLoader;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** The layer geometry behind the multiply-add counts, checked against what the networks really output. */
class MtcnnCostTest {

    @Test
    void pnetMapSizeIsWhatTheNetworkOutputs() {
        MtcnnNetworks nets = SharedModels.get().mtcnn();
        OpenCvLoader.ensureLoaded();
        for (int[] size : new int[][] {{192, 144}, {97, 73}, {12, 12}, {31, 20}}) {
            Mat level = new Mat(size[1], size[0], CvType.CV_8UC3, new Scalar(90, 120, 150));
            try {
                MtcnnNetworks.PnetOutput out = nets.pnet(level);
                int[] map = MtcnnCost.pnetMap(size[0], size[1]);
                assertEquals(out.width(), map[0], "map width at " + size[0] + "x" + size[1]);
                assertEquals(out.height(), map[1], "map height at " + size[0] + "x" + size[1]);
            } finally {
                level.release();
            }
        }
    }

    @Test
    void countsByHand() {
        assertEquals(1_530_768, MtcnnCost.RNET_MAC);
        assertEquals(12_909_952, MtcnnCost.ONET_MAC);
        // 640×480 at min face 40: eight levels, the first 192×144; the cascade stays well under a GFLOP.
        long mac = MtcnnCost.frameMac(640, 480, MtcnnConfig.DEFAULT.withMinFaceSize(40), 90, 15);
        assertTrue(mac > MtcnnCost.pnetMac(192, 144) && 2 * mac < 1e9, "multiply-adds " + mac);
    }
}
