package io.facestream.services.dashboard.matcher;

/**
 * A call to the matcher that did not do what was asked, with the status the dashboard answers its own client:
 * 502 (unreachable, refused the service account, answered something unexpected or too large), 504 (too slow),
 * or the matcher's own 4xx when it refused the request itself (e.g. 404: the person was just deleted).
 */
public final class MatcherException extends RuntimeException {

    private final int status;

    public MatcherException(int status, String message) {
        super(message);
        this.status = status;
    }

    public MatcherException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
