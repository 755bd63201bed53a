package io.facestream.services.common.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates the configured accounts (form login and HTTP Basic).
 * <ul>
 * <li>A key derivation at {@link PasswordHash#ITERATIONS} costs a good part of a second, so it runs on the
 * blocking pool, never on the event loop.</li>
 * <li>Basic clients (cameras, scripts) authenticate on every request, so a credential that verified is
 * remembered for {@link #REMEMBER} by a SHA-256 digest of user, password and stored hash — never in plain
 * text, at most {@link #MAX_REMEMBERED} of them, and only successes, so guessing cannot fill it.</li>
 * <li>An unknown user name is checked against a dummy hash of the same cost, so the answer takes as long as for a
 * known one and does not reveal which names exist.</li>
 * <li>Failures are throttled per address and per user name ({@link LoginThrottle}) and logged (user name and
 * address, never the password). A throttled attempt is refused without a key derivation; {@link
 * LoginThrottleFilter} turns it into 429 with {@code Retry-After}.</li>
 * </ul>
 */
@Singleton
public class ConfiguredUsers<B> implements HttpRequestExecutorAuthenticationProvider<B> {

    /** Request attribute: how long the client must wait ({@link Duration}); set when the attempt was throttled. */
    public static final String THROTTLED = "facestream.login.retry-after";

    static final Duration REMEMBER = Duration.ofMinutes(5);
    static final int MAX_REMEMBERED = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUsers.class);
    /** Made once, with the cost of a new hash, only to spend that cost on unknown user names. */
    private static final String DUMMY_HASH = PasswordHash.hash(PasswordHash.randomPassword());

    private final Map<String, UserAccount> accounts;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Map<String, Instant> remembered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    @Inject
    public ConfiguredUsers(List<UserAccount> accounts, LoginThrottle throttle) {
        this(accounts, throttle, Clock.systemUTC());
    }

    ConfiguredUsers(List<UserAccount> accounts, LoginThrottle throttle, Clock clock) {
        this.accounts = accounts.stream().collect(Collectors.toMap(UserAccount::name, Function.identity()));
        this.throttle = throttle;
        this.clock = clock;
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        String user = auth.getIdentity() == null ? "" : auth.getIdentity();
        String password = auth.getSecret() == null ? "" : auth.getSecret();
        String address = address(request);
        Optional<Duration> wait = throttle.retryAfter(address, user);
        if (wait.isPresent()) {
            if (request != null) {
                request.setAttribute(THROTTLED, wait.get());
            }
            LOG.warn("login refused (throttled {} s): user '{}' from {}", seconds(wait.get()), printable(user), address);
            return AuthenticationResponse.failure(AuthenticationFailureReason.ACCOUNT_LOCKED);
        }
        UserAccount account = accounts.get(user);
        boolean ok;
        if (account == null || account.passwordHash() == null) {
            PasswordHash.matches(DUMMY_HASH, password); // the same work as for a real account, result ignored
            ok = false;
        } else {
            ok = verify(account, password);
        }
        if (!ok) {
            LoginThrottle.Counts counts = throttle.failed(address, user);
            LOG.warn("login failed: user '{}' from {} ({} failures from this address, {} for this user name)",
                    printable(user), address, counts.fromAddress(), counts.forAccount());
            return AuthenticationResponse.failure(account == null ? AuthenticationFailureReason.USER_NOT_FOUND
                    : AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        throttle.succeeded(address, user);
        return AuthenticationResponse.success(account.name(), account.roles());
    }

    private boolean verify(UserAccount account, String password) {
        String digest = digest(account.name() + "\u0000" + password + "\u0000" + account.passwordHash());
        Instant now = clock.instant();
        synchronized (remembered) {
            Instant until = remembered.get(digest);
            if (until != null && until.isAfter(now)) {
                return true;
            }
            remembered.remove(digest);
        }
        if (!PasswordHash.matches(account.passwordHash(), password)) {
            return false;
        }
        synchronized (remembered) {
            remembered.put(digest, now.plus(REMEMBER));
        }
        return true;
    }

    /** The peer's IP address. {@code X-Forwarded-For} is not trusted: any client can send it. */
    static String address(HttpRequest<?> request) {
        if (request == null) {
            return "unknown";
        }
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** A user name fit for one log line: control characters escaped, at most 64 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 64 ? b + "…" : b.toString();
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
