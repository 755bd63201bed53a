package io.facestream.pipeline.model;

import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;

/**
 * The retrainer's side of {@link TrustedModelStore}: signs every model version it announces with its Ed25519
 * key, over {@link ModelSignatures#canonicalBytes} (the artifact's path taken relative to the model store the
 * retrainer writes). Thread-safe.
 */
public final class ModelSigner {

    private final PrivateKey key;
    private final Path storeRoot;

    public ModelSigner(PrivateKey key, Path storeRoot) {
        ModelKeys.requireEd25519(key);
        this.key = key;
        this.storeRoot = storeRoot.toAbsolutePath().normalize();
    }

    /**
     * The version with its signature set (any previous one replaced).
     *
     * @throws IllegalArgumentException when its artifact is not a {@code file:} URI inside the store: no loader
     *     would take it, so it is never signed
     */
    public ModelVersion sign(ModelVersion version) {
        String relative;
        try {
            relative = TrustedModelStore.relativeArtifactPath(storeRoot, version.getArtifactUri());
        } catch (RejectedRecordException e) {
            throw new IllegalArgumentException("will not sign " + version.getModelName() + " " + version.getVersion()
                    + ": " + e.getMessage(), e);
        }
        byte[] signature = sign(ModelSignatures.canonicalBytes(version, relative));
        return ModelVersion.newBuilder(version).setSignature(ByteBuffer.wrap(signature)).build();
    }

    /**
     * Fails unless one of {@code trusted} verifies this signer's signatures: a retrainer whose key the
     * embedders do not trust would announce versions that every loader refuses, so it should not start.
     */
    public void requireTrustedBy(List<PublicKey> trusted, String trustedSetting) {
        byte[] probe = (ModelSignatures.DOMAIN + " key check").getBytes(StandardCharsets.UTF_8);
        byte[] signature = sign(probe);
        for (PublicKey k : trusted) {
            try {
                Signature v = Signature.getInstance(ModelSignatures.ALGORITHM);
                v.initVerify(k);
                v.update(probe);
                if (v.verify(signature)) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                // not this key
            }
        }
        throw new IllegalStateException("the model-signing private key matches none of the " + trusted.size()
                + " public key(s) of " + trustedSetting + ": embedders and matchers would refuse every version "
                + "this retrainer announces");
    }

    private byte[] sign(byte[] bytes) {
        try {
            Signature s = Signature.getInstance(ModelSignatures.ALGORITHM);
            s.initSign(key);
            s.update(bytes);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
