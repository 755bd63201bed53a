package io.facestream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an announced artifact may be: inside the store, by its real path, named by a local file: URI. */
class TrustedModelStoreTest {

    @TempDir
    Path dir;

    private Path store;
    private Path artifact;
    private KeyPair pair;
    private TrustedModelStore trust;

    @BeforeEach
    void setUp() throws Exception {
        store = Files.createDirectories(dir.resolve("store"));
        artifact = Files.writeString(Files.createDirectories(store.resolve("mobilefacenet/v2")).resolve("model.params"),
                "weights");
        pair = KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
        trust = new TrustedModelStore(store, List.of(pair.getPublic()));
    }

    @Test
    void aSignedArtifactInsideTheStoreWithItsChecksumIsTrusted() throws Exception {
        assertEquals(artifact.toRealPath(), trust.verify(signed(artifact.toUri().toString(), sha(artifact))));
    }

    @Test
    void dotDotAbsolutePathsOutsideAndNonFileUrisAreOutside() throws Exception {
        Path outside = Files.writeString(dir.resolve("evil.params"), "evil");
        Map<String, String> kinds = Map.of(
                "file:" + store + "/mobilefacenet/../../evil.params", "artifact-outside-store",
                "file:" + store + "/mobilefacenet/v2/./model.params", "artifact-outside-store",
                "file:" + store + "/mobilefacenet/%2e%2e/%2e%2e/evil.params", "artifact-outside-store",
                outside.toUri().toString(), "artifact-outside-store",
                store.toUri().toString(), "artifact-outside-store",
                "file:" + store + "-sibling/mobilefacenet/v2/model.params", "artifact-outside-store",
                artifact.toString(), "artifact-uri-invalid",
                "file://attacker.example/" + artifact, "artifact-uri-invalid",
                "https://attacker.example/model.params", "artifact-uri-invalid",
                "file:mobilefacenet/v2/model.params", "artifact-uri-invalid");
        kinds.forEach((uri, kind) -> {
            // the real key signs nothing outside the store, so these carry any signature: the place is checked first
            ModelVersion v = ModelVersion.newBuilder(version(uri, sha(outside))).setSignature(
                    java.nio.ByteBuffer.wrap(new byte[64])).build();
            RejectedRecordException e = assertThrows(RejectedRecordException.class, () -> trust.verify(v), uri);
            assertEquals(kind, e.kind(), uri + ": " + e.getMessage());
        });
    }

    @Test
    void aSymbolicLinkInTheStoreThatPointsOutIsRefusedEvenWhenSigned() throws Exception {
        Path outside = Files.writeString(dir.resolve("evil.params"), "evil");
        Path link = Files.createSymbolicLink(Files.createDirectories(store.resolve("mobilefacenet/v3"))
                .resolve("model.params"), outside);
        RejectedRecordException e = assertThrows(RejectedRecordException.class,
                () -> trust.verify(signed(link.toUri().toString(), sha(outside))));
        assertEquals("artifact-outside-store", e.kind(), e.getMessage());
        // A linked folder on the way out counts the same.
        Path outsideDir = Files.createDirectories(dir.resolve("elsewhere/v4"));
        Files.writeString(outsideDir.resolve("model.params"), "evil");
        Files.createSymbolicLink(store.resolve("linked"), outsideDir);
        Path viaDir = store.resolve("linked/model.params");
        assertEquals("artifact-outside-store", assertThrows(RejectedRecordException.class,
                () -> trust.verify(signed(viaDir.toUri().toString(), sha(viaDir)))).kind());
        // A link that stays inside the store is fine.
        Path inside = Files.createSymbolicLink(Files.createDirectories(store.resolve("mobilefacenet/v5"))
                .resolve("model.params"), artifact);
        assertEquals(artifact.toRealPath(), trust.verify(signed(inside.toUri().toString(), sha(artifact))));
    }

    @Test
    void aMissingFileAWrongChecksumOrAForgedSignatureIsRefused() throws Exception {
        Path missing = store.resolve("mobilefacenet/v9/model.params");
        assertEquals("artifact-missing", assertThrows(RejectedRecordException.class,
                () -> trust.verify(signed(missing.toUri().toString(), sha(artifact)))).kind());
        String wrong = "0".repeat(64);
        assertEquals("checksum-mismatch", assertThrows(RejectedRecordException.class,
                () -> trust.verify(signed(artifact.toUri().toString(), wrong))).kind());
        KeyPair other = KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
        ModelVersion forged = new ModelSigner(other.getPrivate(), store).sign(version(artifact.toUri().toString(),
                sha(artifact)));
        assertEquals("bad-signature", assertThrows(RejectedRecordException.class, () -> trust.verify(forged)).kind());
        assertEquals("unsigned", assertThrows(RejectedRecordException.class,
                () -> trust.verify(version(artifact.toUri().toString(), sha(artifact)))).kind());
    }

    private ModelVersion signed(String uri, String sha) {
        return new ModelSigner(pair.getPrivate(), store).sign(version(uri, sha));
    }

    private static ModelVersion version(String uri, String sha) {
        return ModelVersion.newBuilder().setModelName("mobilefacenet").setVersion("v2").setArtifactUri(uri)
                .setSha256(sha).setStatus(ModelStatus.ACTIVE).setCreatedAt(Instant.ofEpochMilli(1)).build();
    }

    private static String sha(Path file) {
        try {
            return ActiveModelFollower.sha256(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
