package io.facestream.kafka.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Makes a broker's SCRAM users and ACLs what a policy says, through an admin (super user) client: each login's
 * credential is set (so a rotated password takes effect on the next start), every wanted ACL is created, and
 * any other ACL of a managed principal is deleted, so a principal has exactly its policy's rights even after
 * the policy narrowed. Principals outside {@code managedPrincipals} are left alone.
 */
public final class AclSync {

    /** Kafka's default SCRAM iteration count (and the storage formatter's). */
    public static final int SCRAM_ITERATIONS = 4096;

    private AclSync() {
    }

    /** Creates or updates the SCRAM-SHA-512 credential of every login. */
    public static void upsertUsers(Admin admin, Collection<ScramLogin> logins, Duration timeout)
            throws InterruptedException {
        if (logins.isEmpty()) {
            return;
        }
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> alterations = new ArrayList<>();
        for (ScramLogin login : logins) {
            alterations.add(new UserScramCredentialUpsertion(login.username(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), login.password()));
        }
        await(admin.alterUserScramCredentials(alterations).all(), timeout, "set the SCRAM credentials of "
                + logins.stream().map(ScramLogin::username).toList());
    }

    /**
     * Creates {@code wanted} and deletes every other ACL whose principal is in {@code managedPrincipals}
     * (e.g. {@code User:facestream-detector}).
     */
    public static void apply(Admin admin, Collection<AclBinding> wanted, Set<String> managedPrincipals,
            Duration timeout) throws InterruptedException {
        Set<AclBinding> want = new HashSet<>(wanted);
        Collection<AclBinding> existing = await(admin.describeAcls(AclBindingFilter.ANY).values(), timeout,
                "list the ACLs");
        List<AclBindingFilter> stale = existing.stream()
                .filter(b -> managedPrincipals.contains(b.entry().principal()) && !want.contains(b))
                .map(AclBinding::toFilter)
                .toList();
        if (!stale.isEmpty()) {
            await(admin.deleteAcls(stale).all(), timeout, "delete " + stale.size() + " stale ACLs");
        }
        List<AclBinding> missing = want.stream().filter(b -> !existing.contains(b)).toList();
        if (!missing.isEmpty()) {
            await(admin.createAcls(missing).all(), timeout, "create " + missing.size() + " ACLs");
        }
        awaitVisible(admin, want, timeout);
    }

    /**
     * Waits until the broker's authorizer holds every wanted ACL: the controller commits them first and the
     * broker applies them from its metadata log a moment later, and a client refused in between would fail
     * for good (an authorization error is not retried). The broker answers DescribeAcls from its own
     * authorizer, so seeing them there means they are in force.
     */
    private static void awaitVisible(Admin admin, Set<AclBinding> want, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Collection<AclBinding> now = await(admin.describeAcls(AclBindingFilter.ANY).values(), timeout,
                    "list the ACLs");
            if (now.containsAll(want)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply the ACLs within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, Duration timeout, String what)
            throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + timeout, e);
        }
    }
}
