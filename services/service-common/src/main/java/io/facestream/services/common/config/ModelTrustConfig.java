package io.facestream.services.common.config;

import io.facestream.pipeline.model.ModelKeys;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.security.PublicKey;
import java.util.List;

/**
 * Which announced model versions a service may load (README, "Model signing"): artifacts inside the model
 * store, signed by the retrainer.
 *
 * @param store the model store's directory, mounted read-only at the path the retrainer writes it
 *     ({@code facestream.retrainer.model-store}); artifacts anywhere else are refused
 * @param publicKeys the retrainer's Ed25519 public keys, each a file (PEM or DER X.509) or the base64 of its DER
 *     bytes; usually one, two while the signing key is rotated. No default: without a key nothing could be
 *     verified, so a service that loads models does not start
 */
@ConfigurationProperties(ModelTrustConfig.PREFIX)
public record ModelTrustConfig(
        @Bindable(defaultValue = "model-store") @NotBlank String store,
        @NotEmpty List<@NotBlank String> publicKeys) {

    public static final String PREFIX = "facestream.models";

    /** The configured public keys, parsed. */
    public List<PublicKey> keys() {
        if (publicKeys == null || publicKeys.isEmpty()) {
            throw new IllegalStateException(PREFIX + ".public-keys (FACESTREAM_MODELS_PUBLIC_KEYS) is required: the "
                    + "retrainer's model-signing public key");
        }
        return publicKeys.stream().map(ModelKeys::parsePublicKey).toList();
    }
}
