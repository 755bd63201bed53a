package io.facestream.pipeline.model;

import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.ModelVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;

/**
 * What a loader of announced model versions trusts: artifacts inside one model store, signed by the retrainer.
 * The {@code models} topic only says which version to load; this decides whether it may be loaded at all, and
 * every check runs before a byte of the artifact reaches a model loader:
 * <ol>
 *   <li>the artifact URI is an absolute {@code file:} URI without host, query or fragment;</li>
 *   <li>its path has no {@code .} or {@code ..} segment and lies under the store's directory (lexically);</li>
 *   <li>the version's signature verifies with one of the configured public keys ({@link ModelSignatures});</li>
 *   <li>the file exists and its real path (symbolic links resolved) still lies under the store's real path,
 *       so a link planted in the store cannot lead out of it;</li>
 *   <li>the file's SHA-256 is the signed one.</li>
 * </ol>
 * A failed check is a {@link RejectedRecordException} whose kind says which ({@code artifact-uri-invalid},
 * {@code artifact-outside-store}, {@code unsigned}, {@code bad-signature}, {@code artifact-missing},
 * {@code checksum-mismatch}), for the {@code models.dlq} headers. Immutable and thread-safe.
 */
public final class TrustedModelStore {

    private final Path root;
    private final List<PublicKey> publicKeys;

    /**
     * @param root the model store's directory (it may not exist yet: the retrainer creates it)
     * @param publicKeys the retrainer's public keys; several while a key is rotated (README, "Model signing")
     */
    public TrustedModelStore(Path root, List<PublicKey> publicKeys) {
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one model-signing public key is required");
        }
        publicKeys.forEach(ModelKeys::requireEd25519);
        this.root = root.toAbsolutePath().normalize();
        this.publicKeys = List.copyOf(publicKeys);
    }

    public Path root() {
        return root;
    }

    /**
     * The full check; the returned path is the artifact's real path, the one to load.
     *
     * @throws RejectedRecordException when any check fails (nothing has been loaded)
     */
    public Path verify(ModelVersion version) throws RejectedRecordException {
        String relative = verifySignature(version);
        Path artifact = realPathInside(root, artifactPath(root, version.getArtifactUri()));
        String sha;
        try {
            sha = ActiveModelFollower.sha256(artifact);
        } catch (IOException e) {
            throw new RejectedRecordException("artifact-missing", "cannot read the artifact " + artifact + ": "
                    + e.getMessage(), e);
        }
        if (!sha.equalsIgnoreCase(version.getSha256())) {
            throw new RejectedRecordException("checksum-mismatch", describe(version) + ": artifact " + relative
                    + " has SHA-256 " + sha + ", the signed record says " + version.getSha256());
        }
        return artifact;
    }

    /**
     * The checks that need no file (URI, lexical place in the store, signature), for records that name a
     * version without loading it (a catalog entry).
     *
     * @return the artifact's path relative to the store, as signed
     */
    public String verifySignature(ModelVersion version) throws RejectedRecordException {
        String relative = relativeArtifactPath(root, version.getArtifactUri());
        ByteBuffer signature = version.getSignature();
        if (signature == null || !signature.hasRemaining()) {
            throw new RejectedRecordException("unsigned", describe(version) + " carries no signature");
        }
        byte[] sig = new byte[signature.remaining()];
        signature.duplicate().get(sig);
        byte[] signed = ModelSignatures.canonicalBytes(version, relative);
        for (PublicKey key : publicKeys) {
            if (verifies(key, signed, sig)) {
                return relative;
            }
        }
        throw new RejectedRecordException("bad-signature", describe(version) + ": the signature verifies with none of the "
                + publicKeys.size() + " configured public key(s)");
    }

    /**
     * The artifact's path relative to {@code root}, {@code /}-separated, checked lexically: an absolute
     * {@code file:} URI, no {@code .}/{@code ..} segment, under {@code root}.
     */
    public static String relativeArtifactPath(Path root, String uri) throws RejectedRecordException {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Path artifact = artifactPath(absoluteRoot, uri);
        Path relative = absoluteRoot.relativize(artifact);
        StringBuilder s = new StringBuilder();
        for (Path name : relative) {
            s.append(s.length() == 0 ? "" : "/").append(name);
        }
        return s.toString();
    }

    private static Path artifactPath(Path root, String uri) throws RejectedRecordException {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException | NullPointerException e) {
            throw new RejectedRecordException("artifact-uri-invalid", "not a URI: " + uri);
        }
        if (!"file".equalsIgnoreCase(parsed.getScheme()) || parsed.isOpaque() || parsed.getRawAuthority() != null
                || parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new RejectedRecordException("artifact-uri-invalid", "only local file: URIs without host, query or "
                    + "fragment are loaded, not " + uri);
        }
        // The decoded path: %2e%2e is caught as the ".." it stands for.
        String path = parsed.getPath();
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new RejectedRecordException("artifact-outside-store", "artifact path " + path
                        + " has a '" + segment + "' segment");
            }
        }
        Path p;
        try {
            p = Path.of(parsed);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException("artifact-uri-invalid", "not a file path: " + uri);
        }
        if (!p.isAbsolute() || !p.startsWith(root) || p.equals(root)) {
            throw new RejectedRecordException("artifact-outside-store", "artifact " + p + " is not inside the model "
                    + "store " + root);
        }
        return p;
    }

    /** {@code artifact} with every link resolved, refused unless it is a regular file under the real root. */
    private static Path realPathInside(Path root, Path artifact) throws RejectedRecordException {
        Path realRoot;
        Path real;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new RejectedRecordException("artifact-missing", "the model store " + root + " does not exist", e);
        }
        try {
            real = artifact.toRealPath();
        } catch (NoSuchFileException e) {
            throw new RejectedRecordException("artifact-missing", "no artifact at " + artifact, e);
        } catch (IOException e) {
            throw new RejectedRecordException("artifact-missing", "cannot resolve " + artifact + ": " + e.getMessage(),
                    e);
        }
        if (!real.startsWith(realRoot)) {
            throw new RejectedRecordException("artifact-outside-store", "artifact " + artifact + " resolves to " + real
                    + ", outside the model store " + realRoot);
        }
        if (!Files.isRegularFile(real)) {
            throw new RejectedRecordException("artifact-missing", "artifact " + real + " is not a regular file");
        }
        return real;
    }

    private static boolean verifies(PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ModelSignatures.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature (wrong length) is a signature that does not verify
        }
    }

    private static String describe(ModelVersion v) {
        return v.getModelName() + " " + v.getVersion() + " (" + v.getStatus() + ")";
    }
}
