package io.facestream.services.common.security;

import java.util.regex.Pattern;

/**
 * A service that calls another on an operator's behalf (the dashboard calling the matcher) logs in as its own
 * service account and names the operator in {@link #HEADER}. The header is for the audit log only, never for
 * authorization: the callee authorizes the account that logged in, and logs both.
 */
public final class ActingOperator {

    public static final String HEADER = "X-FaceStream-Operator";
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private ActingOperator() {
    }

    /** {@code account} alone, or {@code account for operator}; a header that is not short printable ASCII is shown as such. */
    public static String describe(String account, String header) {
        if (header == null) {
            return account;
        }
        return account + " for " + (PRINTABLE.matcher(header).matches() ? header : "(an unprintable operator name)");
    }
}
