package io.facestream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and verifying model versions, and the key files. Signature checks only: no artifact is read. */
class ModelSignaturesTest {

    private static final Path STORE = Path.of("/var/lib/facestream/model-store");
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    @Test
    void aSignedVersionVerifiesWithTheRetrainersPublicKey() throws Exception {
        KeyPair pair = newPair();
        ModelVersion signed = new ModelSigner(pair.getPrivate(), STORE).sign(version("v2", SHA, ModelStatus.ACTIVE));
        assertEquals(64, signed.getSignature().remaining(), "an Ed25519 signature");
        assertEquals("mobilefacenet/v2/model.params", trust(pair.getPublic()).verifySignature(signed));
    }

    @Test
    void anyChangeToTheSignedFieldsOrAnotherKeyFailsTheSignature() throws Exception {
        KeyPair pair = newPair();
        ModelVersion signed = new ModelSigner(pair.getPrivate(), STORE).sign(version("v2", SHA, ModelStatus.ACTIVE));
        byte[] hash = HexFormat.of().parseHex(SHA);
        hash[7] ^= 1;
        Map<String, ModelVersion> forged = Map.of(
                "a flipped byte of the hash", copy(signed).setSha256(HexFormat.of().formatHex(hash)).build(),
                "another version string", copy(signed).setVersion("v3")
                        .setArtifactUri(STORE.resolve("mobilefacenet/v3/model.params").toUri().toString()).build(),
                "another file of the store", copy(signed)
                        .setArtifactUri(STORE.resolve("mobilefacenet/v2/other.params").toUri().toString()).build(),
                "a REJECTED candidate's signature on an ACTIVE record", copy(new ModelSigner(pair.getPrivate(), STORE)
                        .sign(version("v2", SHA, ModelStatus.REJECTED))).setStatus(ModelStatus.ACTIVE).build(),
                "another creation time", copy(signed).setCreatedAt(Instant.ofEpochMilli(1)).build(),
                "another model", copy(signed).setModelName("mobilefacenet2").build());
        TrustedModelStore trust = trust(pair.getPublic());
        forged.forEach((what, v) -> {
            RejectedRecordException e = assertThrows(RejectedRecordException.class, () -> trust.verifySignature(v), what);
            assertEquals("bad-signature", e.kind(), what);
        });
        // The genuine record, but trusted keys that are someone else's.
        RejectedRecordException otherKey = assertThrows(RejectedRecordException.class,
                () -> trust(newPair().getPublic()).verifySignature(signed));
        assertEquals("bad-signature", otherKey.kind());
        // A signature of the right length but wrong bytes, one of the wrong length, none at all.
        byte[] sig = new byte[64];
        signed.getSignature().duplicate().get(sig);
        sig[0] ^= 1;
        assertEquals("bad-signature", assertThrows(RejectedRecordException.class, () -> trust.verifySignature(
                copy(signed).setSignature(ByteBuffer.wrap(sig)).build())).kind());
        assertEquals("bad-signature", assertThrows(RejectedRecordException.class, () -> trust.verifySignature(
                copy(signed).setSignature(ByteBuffer.wrap(new byte[3])).build())).kind());
        assertEquals("unsigned", assertThrows(RejectedRecordException.class, () -> trust.verifySignature(
                copy(signed).setSignature(null).build())).kind());
    }

    @Test
    void duringARotationEitherTrustedKeyVerifies() throws Exception {
        KeyPair old = newPair();
        KeyPair next = newPair();
        TrustedModelStore both = new TrustedModelStore(STORE, List.of(next.getPublic(), old.getPublic()));
        both.verifySignature(new ModelSigner(old.getPrivate(), STORE).sign(version("v2", SHA, ModelStatus.ACTIVE)));
        both.verifySignature(new ModelSigner(next.getPrivate(), STORE).sign(version("v3", SHA, ModelStatus.ACTIVE)));
        new ModelSigner(next.getPrivate(), STORE).requireTrustedBy(List.of(old.getPublic(), next.getPublic()), "keys");
        IllegalStateException untrusted = assertThrows(IllegalStateException.class,
                () -> new ModelSigner(next.getPrivate(), STORE).requireTrustedBy(List.of(old.getPublic()), "keys"));
        assertTrue(untrusted.getMessage().contains("matches none"), untrusted.getMessage());
    }

    @Test
    void theSignerRefusesArtifactsOutsideItsStore() throws Exception {
        ModelSigner signer = new ModelSigner(newPair().getPrivate(), STORE);
        for (String uri : List.of("file:/etc/passwd", "file:/var/lib/facestream/model-store/../evil/model.params",
                "https://example.invalid/model.params", "/var/lib/facestream/model-store/mobilefacenet/v2/model.params")) {
            assertThrows(IllegalArgumentException.class, () -> signer.sign(copy(version("v2", SHA, ModelStatus.ACTIVE))
                    .setArtifactUri(uri).build()), uri);
        }
    }

    @Test
    void theCanonicalBytesAreLengthPrefixedFieldsInTheDocumentedOrder() {
        byte[] bytes = ModelSignatures.canonicalBytes(ModelVersion.newBuilder(version("v2", SHA.toUpperCase(),
                ModelStatus.ACTIVE)).setCreatedAt(Instant.ofEpochMilli(1234)).build(), "mobilefacenet/v2/model.params");
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<String> fields = new java.util.ArrayList<>();
        while (b.hasRemaining()) {
            byte[] f = new byte[b.getInt()];
            b.get(f);
            fields.add(new String(f, StandardCharsets.UTF_8));
        }
        assertEquals(List.of(ModelSignatures.DOMAIN, "mobilefacenet", "v2", "ACTIVE", SHA,
                "mobilefacenet/v2/model.params", "1234"), fields, "the hash is signed in lower case");
    }

    @Test
    void keyPairFilesAreMadeOwnerOnlyReusedAndReadBack() throws Exception {
        ModelKeys.KeyPairFiles files = ModelKeys.ensureKeyPair(dir.resolve("keys"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.signingKey())));
        String first = Files.readString(files.signingKey());
        assertEquals(first, Files.readString(ModelKeys.ensureKeyPair(dir.resolve("keys")).signingKey()),
                "a second start keeps the pair");
        ModelSigner signer = new ModelSigner(ModelKeys.readPrivateKey(files.signingKey()), STORE);
        PublicKey fromFile = ModelKeys.parsePublicKey(files.publicKey().toString());
        signer.requireTrustedBy(List.of(fromFile), "file");
        // The base64 value (the PEM's body) is the same key.
        String base64 = Base64.getEncoder().encodeToString(fromFile.getEncoded());
        signer.requireTrustedBy(List.of(ModelKeys.parsePublicKey(base64)), "base64");
        // DER files work as well as PEM.
        Path der = Files.write(dir.resolve("public.der"), fromFile.getEncoded());
        signer.requireTrustedBy(List.of(ModelKeys.parsePublicKey(der.toString())), "der");
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefused() throws Exception {
        Path key = ModelKeys.ensureKeyPair(dir.resolve("keys")).signingKey();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelKeys.readPrivateKey(key));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelKeys.readPrivateKey(dir.resolve("missing.pem")));
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");
        Files.setPosixFilePermissions(notAKey, PosixFilePermissions.fromString("rw-------"));
        assertThrows(IllegalArgumentException.class, () -> ModelKeys.readPrivateKey(notAKey));
        assertThrows(IllegalArgumentException.class, () -> ModelKeys.parsePublicKey("not base64 !"));
        assertThrows(IllegalArgumentException.class, () -> ModelKeys.parsePublicKey(
                Base64.getEncoder().encodeToString("not a key".getBytes(StandardCharsets.UTF_8))));
    }

    private static TrustedModelStore trust(PublicKey key) {
        return new TrustedModelStore(STORE, List.of(key));
    }

    private static KeyPair newPair() throws Exception {
        return KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
    }

    private static ModelVersion.Builder copy(ModelVersion v) {
        return ModelVersion.newBuilder(v);
    }

    static ModelVersion version(String v, String sha, ModelStatus status) {
        return ModelVersion.newBuilder().setModelName("mobilefacenet").setVersion(v)
                .setArtifactUri(STORE.resolve("mobilefacenet").resolve(v).resolve("model.params").toUri().toString())
                .setSha256(sha).setMetrics(Map.of("macroF1", 0.9)).setStatus(status)
                .setCreatedAt(Instant.ofEpochMilli(1_764_000_000_000L)).build();
    }
}
