package io.facestream.pipeline.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading and making the keys of model signing. The private key is a PKCS#8 file (PEM or DER, e.g. from
 * {@code openssl genpkey -algorithm ed25519}) that only its owner may read; a public key is an X.509
 * SubjectPublicKeyInfo, given as a file (PEM or DER) or as the base64 of its DER bytes (the body of the PEM).
 */
public final class ModelKeys {

    /** File names of a key pair made by {@link #ensureKeyPair}. */
    public static final String SIGNING_KEY_FILE = "model-signing-key.pem";
    public static final String PUBLIC_KEY_FILE = "model-signing-public-key.pem";

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** A key pair on disk. */
    public record KeyPairFiles(Path signingKey, Path publicKey) {
    }

    private ModelKeys() {
    }

    /** @throws IllegalArgumentException unless {@code key} is an Ed25519 key */
    public static void requireEd25519(Key key) {
        if (!(key instanceof EdECKey ed) || !ModelSignatures.ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
            throw new IllegalArgumentException("model-signing keys are Ed25519, not " + (key == null ? "null"
                    : key.getAlgorithm()));
        }
    }

    /**
     * Reads the retrainer's private key.
     *
     * @throws IllegalArgumentException when the file is missing, readable or writable by anyone but its owner,
     *     or not a PKCS#8 Ed25519 key
     */
    public static PrivateKey readPrivateKey(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no model-signing key file at " + file);
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.stream().anyMatch(NOT_OWNER::contains)) {
                    throw new IllegalArgumentException("the model-signing key " + file + " is accessible to others ("
                            + PosixFilePermissions.toString(perms) + "); only its owner may read it: chmod 600 "
                            + file);
                }
            }
            byte[] der = der(Files.readAllBytes(file), "PRIVATE KEY", file.toString());
            PrivateKey key = KeyFactory.getInstance(ModelSignatures.ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            requireEd25519(key);
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the model-signing key " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not a PKCS#8 Ed25519 private key (openssl genpkey "
                    + "-algorithm ed25519 writes one): " + e.getMessage(), e);
        }
    }

    /**
     * A public key from a file path or from the base64 of its DER encoding: an existing file is read, anything
     * else is decoded as base64.
     */
    public static PublicKey parsePublicKey(String pathOrBase64) {
        String value = pathOrBase64 == null ? "" : pathOrBase64.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty model-signing public key");
        }
        byte[] der;
        String where;
        Path file = asFile(value);
        if (file != null) {
            try {
                der = der(Files.readAllBytes(file), "PUBLIC KEY", value);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the model-signing public key " + value + ": "
                        + e.getMessage(), e);
            }
            where = "the file " + file;
        } else {
            try {
                der = Base64.getMimeDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the model-signing public key " + abbreviated(value)
                        + " is neither an existing file nor base64: " + e.getMessage(), e);
            }
            where = "the base64 value " + abbreviated(value);
        }
        try {
            PublicKey key = KeyFactory.getInstance(ModelSignatures.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
            requireEd25519(key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " is not an X.509 Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * The key pair of an embedded installation, kept in {@code dir}: made on first use (the private key written
     * owner-only, 0600), reused afterwards, so versions signed before a restart still verify after it.
     */
    public static KeyPairFiles ensureKeyPair(Path dir) {
        KeyPairFiles files = new KeyPairFiles(dir.resolve(SIGNING_KEY_FILE), dir.resolve(PUBLIC_KEY_FILE));
        if (Files.exists(files.signingKey())) {
            if (!Files.exists(files.publicKey())) {
                throw new IllegalStateException(files.signingKey() + " exists without its public key "
                        + files.publicKey() + "; delete both to make a new pair (versions signed by the old key are "
                        + "then refused)");
            }
            return files;
        }
        try {
            Files.createDirectories(dir);
            KeyPair pair = KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
            // The public key first, the private key last: a pair whose private key exists is complete.
            write(files.publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
            write(files.signingKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            return files;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a model-signing key pair in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** PEM text of DER bytes, 64 base64 characters a line. */
    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void write(Path target, String text, boolean ownerOnly) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix && ownerOnly
                ? Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The DER bytes of a PEM block of {@code type}, or the bytes as they are when they are not PEM. */
    private static byte[] der(byte[] content, String type, String source) {
        String text = new String(content, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN")) {
            return content;
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new IllegalArgumentException(source + " holds no unencrypted PEM block \"" + type + "\"");
    }

    private static Path asFile(String value) {
        try {
            Path p = Path.of(value);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 24 ? value : value.substring(0, 24) + "…";
    }
}
