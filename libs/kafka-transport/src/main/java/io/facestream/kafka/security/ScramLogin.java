package io.facestream.kafka.security;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A SASL/SCRAM-SHA-512 login: the client settings a Kafka client needs to authenticate as {@code username}.
 * {@link #toString()} never shows the password, so a login may be logged.
 *
 * @param username the Kafka principal is {@code User:<username>}
 * @param password the SCRAM password; never empty
 */
public record ScramLogin(String username, String password) {

    /** The only mechanism FaceStream uses: salted, iterated and never sent in clear (unlike PLAIN). */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** What JAAS and SCRAM accept in a name without quoting trouble (SCRAM escapes ',' and '='; we reject them). */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public ScramLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("Kafka username '" + username + "' must be 1-128 of [A-Za-z0-9._-]");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the Kafka password of " + username + " is empty");
        }
        // The JAAS line quotes the password; a quote, backslash or line break in it would end or break the quote.
        if (password.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
            throw new IllegalArgumentException("the Kafka password of " + username
                    + " contains a quote, backslash or control character");
        }
    }

    /** {@code sasl.jaas.config} for this login. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
    }

    /**
     * The client settings of this login over {@code securityProtocol} ({@code SASL_PLAINTEXT} on loopback,
     * {@code SASL_SSL} across a network).
     */
    public Map<String, String> clientSettings(String securityProtocol) {
        if (!securityProtocol.startsWith("SASL_")) {
            throw new IllegalArgumentException("a SCRAM login needs a SASL_* security protocol, not "
                    + securityProtocol);
        }
        return Map.of("security.protocol", securityProtocol, "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaasConfig());
    }

    @Override
    public String toString() {
        return "ScramLogin[username=" + username + ", password=***]";
    }
}
