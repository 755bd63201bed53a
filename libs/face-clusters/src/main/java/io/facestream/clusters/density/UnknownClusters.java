package io.facestream.clusters.density;

import io.facestream.clusters.density.Changes.Merge;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Incremental density clustering (DBSCAN's rule, one face at a time) of the faces the matcher could not name.
 * A face is a <em>core</em> when at least {@code minFaces} faces, itself included, lie within cosine distance
 * {@code maxDistance}; cores within reach of each other share a cluster, and a face next to a core joins that
 * core's cluster. When a new core reaches two clusters they merge: the older one (earliest founding face)
 * survives and the absorbed id points to it. A cluster's id is derived from its founding core face, or, after a
 * restart, taken from the published cluster its faces were in ({@link #remember}), so replaying the same faces
 * gives the same ids.
 *
 * <p>Faces leave when their track becomes KNOWN, when they match a newly enrolled sample, when their named
 * identity is erased, or when they age out (older than the retention before the newest face) or are pushed out
 * by the cap (oldest first). A face that leaves takes away the density it gave: a face left without a core
 * next to it leaves its cluster (clusters never split: a cluster that loses its middle keeps its id for the rest).
 * Neighbour search is a scan of the faces held (at most {@code maxFaces}). Thread-safe (synchronized).
 */
public final class UnknownClusters {

    private final ClusterConfig config;
    private final double minCosine;
    /** Insertion order, which is about capture order: the eldest are dropped first. */
    private final LinkedHashMap<String, Node> faces = new LinkedHashMap<>();
    private final Map<String, Cluster> clusters = new HashMap<>();
    /** Absorbed cluster id → the one that took it over. */
    private final Map<String, String> mergedInto;
    /** Face id → the cluster it was published in (restored from the clusters topic). */
    private final Map<String, String> remembered;
    /** Cluster id → the identity it was named to (restored from the clusters topic). */
    private final Map<String, String> rememberedNames;
    private Instant newest = Instant.EPOCH;

    public UnknownClusters(ClusterConfig config) {
        this.config = config;
        this.minCosine = 1 - config.maxDistance();
        mergedInto = bounded(config.maxFaces());
        remembered = bounded(config.maxFaces());
        rememberedNames = bounded(config.maxFaces());
    }

    private static final class Node {
        final UnknownFace face;
        /** Other faces within reach. */
        int neighbours;
        Cluster cluster;

        Node(UnknownFace face) {
            this.face = face;
        }
    }

    private static final class Cluster {
        final String id;
        final Instant founded;
        final Set<Node> members = new LinkedHashSet<>();
        String identityId;

        Cluster(String id, Instant founded) {
            this.id = id;
            this.founded = founded;
        }
    }

    /** Collects what one operation touched. */
    private final class Delta {
        final Set<Cluster> touched = new LinkedHashSet<>();
        final List<String> removed = new ArrayList<>();
        final List<Merge> merges = new ArrayList<>();

        Changes done() {
            List<ClusterView> updated = new ArrayList<>();
            for (Cluster k : touched) {
                if (clusters.get(k.id) == k && !k.members.isEmpty()) {
                    updated.add(view(k));
                }
            }
            return new Changes(updated, removed, merges);
        }
    }

    private boolean core(Node n) {
        return n.neighbours + 1 >= config.minFaces();
    }

    /** Adds an UNKNOWN face; a face already held is ignored. */
    public synchronized Changes add(UnknownFace face) {
        if (faces.containsKey(face.faceId())) {
            return Changes.NONE;
        }
        Delta d = new Delta();
        if (face.capturedAt().isAfter(newest)) {
            newest = face.capturedAt();
        }
        expire(d);
        if (face.capturedAt().isBefore(newest.minus(config.retention()))) {
            return d.done(); // already outside the window
        }
        while (faces.size() >= config.maxFaces()) {
            remove(faces.values().iterator().next(), d);
        }
        Node n = new Node(face);
        List<Node> near = neighbours(n);
        n.neighbours = near.size();
        List<Node> promoted = new ArrayList<>();
        for (Node q : near) {
            q.neighbours++;
            if (q.neighbours + 1 == config.minFaces()) {
                promoted.add(q);
            }
        }
        faces.put(face.faceId(), n);
        if (core(n)) {
            promoted.add(n);
        }
        for (Node c : promoted) {
            promote(c, c == n ? near : neighbours(c), d);
        }
        if (n.cluster == null) {
            attachToNearestCore(n, near, d);
        }
        return d.done();
    }

    /** A face became a core: it founds a cluster, joins the one it reaches, or merges those it reaches. */
    private void promote(Node c, List<Node> near, Delta d) {
        Set<Cluster> reached = new LinkedHashSet<>();
        if (c.cluster != null) {
            reached.add(c.cluster);
        }
        for (Node q : near) {
            if (q.cluster != null && core(q)) {
                reached.add(q.cluster);
            }
        }
        Cluster target = reached.isEmpty() ? found(c, near, d) : merge(reached, d);
        join(c, target, d);
        for (Node q : near) {
            if (q.cluster == null) {
                join(q, target, d);
            }
        }
    }

    private Cluster found(Node c, List<Node> near, Delta d) {
        String id = null;
        // a face that was in a published cluster names the new one: ids survive a restart's replay
        for (Node x : withFirst(c, near)) {
            String earlier = remembered.get(x.face.faceId());
            if (earlier != null) {
                id = resolve(earlier);
                break;
            }
        }
        if (id == null) {
            id = derivedId(c.face.faceId());
        }
        Cluster live = clusters.get(id);
        if (live != null) {
            return live;
        }
        mergedInto.remove(id);
        Cluster k = new Cluster(id, c.face.capturedAt());
        k.identityId = rememberedNames.get(id);
        clusters.put(id, k);
        d.touched.add(k);
        return k;
    }

    private static List<Node> withFirst(Node first, List<Node> rest) {
        List<Node> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private Cluster merge(Set<Cluster> reached, Delta d) {
        Cluster survivor = reached.stream()
                .min(Comparator.comparing((Cluster k) -> k.founded).thenComparing(k -> k.id)).orElseThrow();
        for (Cluster absorbed : reached) {
            if (absorbed == survivor) {
                continue;
            }
            for (Node m : absorbed.members) {
                m.cluster = survivor;
                survivor.members.add(m);
            }
            absorbed.members.clear();
            clusters.remove(absorbed.id);
            mergedInto.put(absorbed.id, survivor.id);
            if (survivor.identityId == null) {
                survivor.identityId = absorbed.identityId;
            }
            d.merges.add(new Merge(absorbed.id, survivor.id));
        }
        d.touched.add(survivor);
        return survivor;
    }

    private void join(Node n, Cluster k, Delta d) {
        if (n.cluster == k) {
            return;
        }
        detach(n, d);
        n.cluster = k;
        k.members.add(n);
        d.touched.add(k);
    }

    private void detach(Node n, Delta d) {
        Cluster k = n.cluster;
        if (k == null) {
            return;
        }
        k.members.remove(n);
        n.cluster = null;
        d.touched.add(k);
        if (k.members.isEmpty() && clusters.get(k.id) == k) {
            clusters.remove(k.id);
            d.removed.add(k.id);
        }
    }

    /** A face that is not a core joins the cluster of its nearest core neighbour, if it has one. */
    private void attachToNearestCore(Node n, List<Node> near, Delta d) {
        Node best = null;
        double bestCosine = -2;
        for (Node q : near) {
            if (q.cluster != null && core(q)) {
                double c = n.face.cosine(q.face.vector());
                if (c > bestCosine) {
                    bestCosine = c;
                    best = q;
                }
            }
        }
        if (best != null) {
            join(n, best.cluster, d);
        }
    }

    /** Takes a face out: it leaves its cluster and its neighbours lose its density. */
    private void remove(Node n, Delta d) {
        faces.remove(n.face.faceId());
        List<Node> near = neighbours(n);
        detach(n, d);
        Set<Node> recheck = new LinkedHashSet<>();
        for (Node q : near) {
            boolean wasCore = core(q);
            q.neighbours--;
            if (!core(q)) {
                recheck.add(q);
                if (wasCore) {
                    // a demoted core may have been the only core next to its border faces
                    for (Node r : neighbours(q)) {
                        if (!core(r)) {
                            recheck.add(r);
                        }
                    }
                }
            }
        }
        for (Node x : recheck) {
            if (x.cluster == null) {
                continue;
            }
            List<Node> around = neighbours(x);
            boolean held = around.stream().anyMatch(q -> q.cluster == x.cluster && core(q));
            if (!held) {
                detach(x, d);
                attachToNearestCore(x, around, d);
            }
        }
    }

    private void expire(Delta d) {
        Instant oldest = newest.minus(config.retention());
        for (Iterator<Node> it = faces.values().iterator(); it.hasNext(); ) {
            Node n = it.next();
            if (!n.face.capturedAt().isBefore(oldest)) {
                break;
            }
            remove(n, d);
            it = faces.values().iterator(); // remove() changed the map
        }
    }

    /** Drops the faces captured before {@code now} minus the retention (a wall clock that moved on). */
    public synchronized Changes expire(Instant now) {
        if (now.isAfter(newest)) {
            newest = now;
        }
        Delta d = new Delta();
        expire(d);
        return d.done();
    }

    /** The face leaves (it turned out KNOWN). */
    public synchronized Changes leave(String faceId) {
        Node n = faces.get(faceId);
        remembered.remove(faceId);
        if (n == null) {
            return Changes.NONE;
        }
        Delta d = new Delta();
        remove(n, d);
        return d.done();
    }

    /**
     * Every face of a track leaves (its sighting became KNOWN as {@code identityId}), except those of a cluster
     * named to that identity: they are already its faces.
     */
    public synchronized Changes leaveTrack(String trackId, String identityId) {
        Delta d = new Delta();
        for (Node n : List.copyOf(faces.values())) {
            boolean own = n.cluster != null && n.cluster.identityId != null && n.cluster.identityId.equals(identityId);
            if (trackId.equals(n.face.trackId()) && !own) {
                remembered.remove(n.face.faceId());
                remove(n, d);
            }
        }
        return d.done();
    }

    /**
     * Faces that match a newly enrolled sample (cosine at least {@code threshold}, same model) leave, except
     * those of clusters named to that identity (their faces are its own).
     */
    public synchronized Changes leaveMatching(String modelVersion, float[] sample, double threshold,
            String identityId) {
        float[] unit = new UnknownFace("sample", null, "-", Instant.EPOCH, modelVersion, sample, 0, null).vector();
        Delta d = new Delta();
        for (Node n : List.copyOf(faces.values())) {
            boolean own = n.cluster != null && identityId.equals(n.cluster.identityId);
            if (!own && n.face.modelVersion().equals(modelVersion) && n.face.cosine(unit) >= threshold) {
                remembered.remove(n.face.faceId());
                remove(n, d);
            }
        }
        return d.done();
    }

    /**
     * The faces of the clusters named to a person: what {@link #eraseIdentity} takes away, so that the erasure
     * can be recorded (the erasure markers) before it happens.
     */
    public synchronized Set<String> namedFaces(String identityId) {
        Set<String> out = new LinkedHashSet<>();
        for (Cluster k : clusters.values()) {
            if (identityId.equals(k.identityId)) {
                k.members.forEach(n -> out.add(n.face.faceId()));
            }
        }
        return out;
    }

    /** The person was erased: every face of the clusters named to them goes. */
    public synchronized Changes eraseIdentity(String identityId) {
        Delta d = new Delta();
        rememberedNames.values().removeIf(identityId::equals);
        for (Cluster k : List.copyOf(clusters.values())) {
            if (identityId.equals(k.identityId)) {
                for (Node n : List.copyOf(k.members)) {
                    remembered.remove(n.face.faceId());
                    remove(n, d);
                }
            }
        }
        return d.done();
    }

    /** Names a cluster (follows merges); empty when there is no such cluster. */
    public synchronized Optional<Changes> name(String clusterId, String identityId) {
        Cluster k = clusters.get(resolve(clusterId));
        if (k == null) {
            return Optional.empty();
        }
        if (identityId.equals(k.identityId)) {
            return Optional.of(Changes.NONE);
        }
        k.identityId = identityId;
        rememberedNames.put(k.id, identityId);
        Delta d = new Delta();
        d.touched.add(k);
        return Optional.of(d.done());
    }

    /**
     * What the clusters topic says about a cluster (at start-up, and what other instances publish): its faces
     * and name, so a replay of those faces gives the same id and name; or that it was merged into another.
     * Applies a name to the live cluster too. {@code faceIds} null (a tombstone) forgets the name.
     */
    public synchronized void remember(String clusterId, Collection<String> faceIds, String identityId,
            String survivor) {
        if (survivor != null) {
            if (!clusters.containsKey(clusterId)) {
                mergedInto.put(clusterId, survivor);
            }
            return;
        }
        if (faceIds == null) {
            rememberedNames.remove(clusterId);
            return;
        }
        for (String f : faceIds) {
            remembered.put(f, clusterId);
        }
        if (identityId != null) {
            rememberedNames.put(clusterId, identityId);
            Cluster live = clusters.get(clusterId);
            if (live != null) {
                live.identityId = identityId;
            }
        }
    }

    /** The id a cluster goes by now: itself, or the cluster that absorbed it (transitively). */
    public synchronized String resolve(String clusterId) {
        String id = clusterId;
        for (int hops = 0; hops < 64; hops++) {
            String next = mergedInto.get(id);
            if (next == null || next.equals(id)) {
                return id;
            }
            id = next;
        }
        return id;
    }

    public synchronized Optional<ClusterView> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(resolve(clusterId))).map(this::view);
    }

    /** Up to {@code limit} clusters, largest first (then latest seen, then id). */
    public synchronized List<ClusterView> largest(int limit) {
        return clusters.values().stream().map(this::view)
                .sorted(Comparator.comparingInt(ClusterView::size).reversed()
                        .thenComparing(ClusterView::lastSeen, Comparator.reverseOrder())
                        .thenComparing(ClusterView::clusterId))
                .limit(limit).toList();
    }

    /** Faces held, clustered or not. */
    public synchronized int faces() {
        return faces.size();
    }

    /** The cluster a face is in now, if any. */
    public synchronized Optional<String> clusterOf(String faceId) {
        Node n = faces.get(faceId);
        return n == null || n.cluster == null ? Optional.empty() : Optional.of(n.cluster.id);
    }

    private ClusterView view(Cluster k) {
        List<UnknownFace> members = k.members.stream().map(n -> n.face).toList();
        Set<String> cameras = new TreeSet<>();
        Instant first = null;
        Instant last = null;
        for (UnknownFace f : members) {
            cameras.add(f.cameraId());
            first = first == null || f.capturedAt().isBefore(first) ? f.capturedAt() : first;
            last = last == null || f.capturedAt().isAfter(last) ? f.capturedAt() : last;
        }
        List<String> latestFirst = members.stream()
                .sorted(Comparator.comparing(UnknownFace::capturedAt).reversed().thenComparing(UnknownFace::faceId))
                .map(UnknownFace::faceId).toList();
        List<UnknownFace> best = members.stream()
                .sorted(Comparator.comparingDouble(UnknownFace::quality).reversed()
                        .thenComparing(UnknownFace::capturedAt).thenComparing(UnknownFace::faceId))
                .limit(config.representatives()).toList();
        return new ClusterView(k.id, k.identityId, members.size(), List.copyOf(cameras), first, last, latestFirst,
                best, members.get(0).modelVersion());
    }

    private List<Node> neighbours(Node n) {
        List<Node> near = new ArrayList<>();
        for (Node q : faces.values()) {
            if (q != n && q.face.modelVersion().equals(n.face.modelVersion())
                    && n.face.cosine(q.face.vector()) >= minCosine) {
                near.add(q);
            }
        }
        return near;
    }

    /** A cluster id from its founding face: the same face founds the same id on every replay. */
    static String derivedId(String faceId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(faceId.getBytes(StandardCharsets.UTF_8));
            return "u-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static <K, V> Map<K, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
