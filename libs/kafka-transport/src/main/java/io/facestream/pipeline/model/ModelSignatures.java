package io.facestream.pipeline.model;

import io.facestream.schema.ModelVersion;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The bytes a model version's Ed25519 signature covers. The retrainer signs them ({@link ModelSigner}) and
 * every loader verifies them ({@link TrustedModelStore}) before it reads the artifact.
 *
 * <p>Canonical form: seven strings, each written as its UTF-8 length (4-byte big-endian unsigned int)
 * followed by its UTF-8 bytes, in this order:
 * <ol>
 *   <li>{@value #DOMAIN} (so a signature over these bytes can never be taken for one of another format);</li>
 *   <li>the model name, e.g. {@code mobilefacenet};</li>
 *   <li>the version, e.g. {@code 20261203-104501-ab12};</li>
 *   <li>the status ({@code CANDIDATE}, {@code ACTIVE}, {@code REJECTED}, {@code RETIRED}): the retrainer vouches
 *       for each state, so a REJECTED candidate cannot be re-announced as ACTIVE with its own signature;</li>
 *   <li>the artifact's SHA-256, lower-case hex;</li>
 *   <li>the artifact's path relative to the model store, {@code /}-separated, e.g.
 *       {@code mobilefacenet/20261203-104501-ab12/model.params}: the signature names the file, not only its
 *       contents;</li>
 *   <li>{@code createdAt} as decimal epoch milliseconds.</li>
 * </ol>
 * Length prefixes make the encoding unambiguous whatever the fields contain. The metrics are not signed:
 * they are for display, nothing loads or decides by them.
 */
public final class ModelSignatures {

    /** The JCA name of the signature and key algorithm (JDK 17 built in). */
    public static final String ALGORITHM = "Ed25519";
    /** First field of the signed bytes: the format and its version. */
    public static final String DOMAIN = "facestream.model-version.v1";

    private ModelSignatures() {
    }

    /**
     * @param relativeArtifactPath the artifact's path inside the model store, {@code /}-separated
     */
    public static byte[] canonicalBytes(ModelVersion v, String relativeArtifactPath) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, DOMAIN);
        field(out, v.getModelName());
        field(out, v.getVersion());
        field(out, v.getStatus().name());
        field(out, v.getSha256().toLowerCase(Locale.ROOT));
        field(out, relativeArtifactPath);
        field(out, Long.toString(v.getCreatedAt().toEpochMilli()));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }
}
