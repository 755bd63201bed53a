package io.facestream.kafka.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SCRAM logins of one embedded broker, kept in a properties file beside its data ({@code <username>=<password>},
 * one line each), owner-only (0600 in a 0700 folder): the broker reads its admin password from it at every
 * start, each service of the all-in-one JVM reads its own login, and the operator reads it to connect a
 * camera or a tool. Passwords are random (192 bits) and made once per data dir; there is no default password.
 *
 * <p>Not thread-safe; one broker owns its file.
 */
public final class CredentialsFile {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PASSWORD_BYTES = 24;

    private final Path path;
    private final Map<String, String> passwords;

    private CredentialsFile(Path path, Map<String, String> passwords) {
        this.path = path;
        this.passwords = passwords;
    }

    /**
     * Reads {@code path}; a missing file is an empty one (nothing is written until {@link #ensure}).
     *
     * @throws IOException if the file cannot be read, or other users may read or write it (then its passwords
     *                     must be taken as known: rotate them, see README "Security")
     */
    public static CredentialsFile open(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Map<String, String> passwords = new TreeMap<>();
        if (Files.exists(absolute)) {
            checkOwnerOnly(absolute);
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(absolute, StandardCharsets.UTF_8)));
            p.stringPropertyNames().forEach(name -> passwords.put(name, p.getProperty(name)));
        }
        return new CredentialsFile(absolute, passwords);
    }

    /** Reads the login of {@code username} from an existing file. */
    public static ScramLogin read(Path path, String username) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no Kafka credentials file " + path.toAbsolutePath());
        }
        return open(path).login(username).orElseThrow(() -> new IOException(
                "the Kafka credentials file " + path.toAbsolutePath() + " has no login for " + username));
    }

    /** Where the file is. */
    public Path path() {
        return path;
    }

    public Optional<ScramLogin> login(String username) {
        String password = passwords.get(username);
        return password == null ? Optional.empty() : Optional.of(new ScramLogin(username, password));
    }

    /**
     * The logins of {@code usernames}, with a new random password for each that has none yet; writes the file
     * (0600) if anything was added, so a restart on the same data dir finds the same passwords.
     */
    public Map<String, ScramLogin> ensure(Collection<String> usernames) throws IOException {
        boolean added = false;
        for (String username : usernames) {
            if (!passwords.containsKey(username)) {
                passwords.put(username, randomPassword());
                added = true;
            }
        }
        if (added || !Files.exists(path)) {
            OwnerOnlyFiles.write(path, render().getBytes(StandardCharsets.UTF_8));
        }
        Map<String, ScramLogin> logins = new TreeMap<>();
        for (String username : usernames) {
            logins.put(username, login(username).orElseThrow());
        }
        return logins;
    }

    /** 24 random bytes, URL-safe base64 (32 characters of [A-Za-z0-9_-]: nothing to quote in JAAS). */
    public static String randomPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String render() {
        StringBuilder s = new StringBuilder("# Kafka SCRAM-SHA-512 logins of this FaceStream data dir: <username>=<password>.\n"
                + "# Owner-only (0600). Delete a line and restart to rotate that password (README, \"Security\").\n");
        passwords.forEach((user, password) -> s.append(user).append('=').append(password).append('\n'));
        return s.toString();
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (!OwnerOnlyFiles.FILE.containsAll(permissions)) {
            throw new IOException("the Kafka credentials file " + file + " is readable or writable by others ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
                    + "); its passwords may be known: chmod 600 it and rotate them (README, \"Security\")");
        }
    }
}
