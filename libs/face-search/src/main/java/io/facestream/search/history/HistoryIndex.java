package io.facestream.search.history;

import io.facestream.search.history.Partition.MatchInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Every face seen within the retention window, searchable by similarity: one Lucene HNSW index per capture-time
 * partition under one directory, so memory stays bounded (vectors and graphs are on disk, memory-mapped; each
 * partition being written buffers at most {@link HistorySettings#ramBufferMb}), expiry deletes whole partitions,
 * and a restart reopens what was committed, together with the source offsets it had reached ({@link #commit}).
 * Thread-safe: one feeder adds, any number of threads search.
 */
public final class HistoryIndex implements AutoCloseable {

    private static final String PARTITION_PREFIX = "part-";
    private static final String OFFSETS = "offsets.properties";
    /**
     * Each partition is asked for this many times the hits wanted: HNSW's beam is its k, and a wider beam finds
     * more of the true best (bench history: recall against an exact scan).
     */
    static final int OVERFETCH = 2;

    private final Path root;
    private final HistorySettings settings;
    private final Clock clock;
    private final ConcurrentSkipListMap<Long, Partition> partitions = new ConcurrentSkipListMap<>();
    /** Adds, searches and erasures share it; expiry and close take it alone, so no partition closes under a reader. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Map<String, MatchInfo> pendingMatches;

    private HistoryIndex(Path root, HistorySettings settings, Clock clock) {
        this.root = root;
        this.settings = settings;
        this.clock = clock;
        int cap = settings.pendingMatches();
        this.pendingMatches = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MatchInfo> eldest) {
                return size() > cap;
            }
        };
    }

    /** Opens (or creates) the index under {@code root}, reopening every partition still within retention. */
    public static HistoryIndex open(Path root, HistorySettings settings, Clock clock) throws IOException {
        Files.createDirectories(root);
        HistoryIndex index = new HistoryIndex(root, settings, clock);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PARTITION_PREFIX + "*")) {
            for (Path dir : dirs) {
                long start = Long.parseLong(dir.getFileName().toString().substring(PARTITION_PREFIX.length()));
                index.partitions.put(start, new Partition(dir, start, start + settings.partition().toMillis(),
                        settings.ramBufferMb()));
            }
        } catch (NumberFormatException e) {
            index.close();
            throw new IOException("unexpected partition directory under " + root + ": " + e.getMessage(), e);
        }
        index.expire();
        return index;
    }

    /**
     * Indexes a face (again: replaces it). A face older than the retention cut-off, or captured more than one
     * partition in the future (a camera clock far off), is refused.
     *
     * @return false when refused
     */
    public boolean add(HistoryEntry entry) {
        long now = clock.millis();
        if (entry.capturedAt() < cutoff(now) || entry.capturedAt() >= now + settings.partition().toMillis()) {
            return false;
        }
        lifecycle.readLock().lock();
        try {
            Optional<MatchInfo> match;
            synchronized (pendingMatches) {
                match = Optional.ofNullable(pendingMatches.remove(entry.faceId()));
            }
            partitionFor(entry.capturedAt()).add(entry, match);
            return true;
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Records what the matcher decided about a face: its sighting (track) and the identity it was matched to
     * (KNOWN only). A match that arrives before its face is held (bounded) and applied when the face is added.
     */
    public void recordMatch(String faceId, long capturedAt, Optional<String> sightingId, Optional<String> identityId) {
        if (sightingId.isEmpty() && identityId.isEmpty()) {
            return;
        }
        MatchInfo info = new MatchInfo(sightingId, identityId);
        synchronized (pendingMatches) {
            pendingMatches.put(faceId, info);
        }
        lifecycle.readLock().lock();
        try {
            Partition p = partitions.get(partitionStart(capturedAt));
            if (p != null) {
                p.recordMatch(faceId, info);
            }
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Faces similar to the query, best first (ties: latest first), and the window each model version covers.
     * Each partition that overlaps the time range answers with its best {@code limit × OVERFETCH} per query vector
     * (HNSW, exact when the filters leave few faces); a face's score is its best over the query vectors.
     */
    public HistoryResult search(HistoryQuery query) {
        long now = clock.millis();
        long from = Math.max(query.fromMs(), cutoff(now));
        lifecycle.readLock().lock();
        try {
            Map<String, HistoryHit> best = new HashMap<>();
            if (from < query.toMs()) {
                for (Partition p : partitions.subMap(partitionStart(from), true, query.toMs(), false).values()) {
                    for (QueryVector q : query.queries()) {
                        int k = (int) Math.min((long) query.limit() * OVERFETCH, query.limit() + 10_000L);
                        for (HistoryHit h : p.search(q, query.cameraId(), from, query.toMs(), k)) {
                            if (h.score() >= query.minScore()) {
                                best.merge(h.faceId(), h, (a, b) -> a.score() >= b.score() ? a : b);
                            }
                        }
                    }
                }
            }
            List<HistoryHit> hits = best.values().stream()
                    .sorted(Comparator.comparingDouble(HistoryHit::score).reversed()
                            .thenComparing(Comparator.comparingLong(HistoryHit::capturedAt).reversed())
                            .thenComparing(HistoryHit::faceId))
                    .limit(query.limit()).toList();
            return new HistoryResult(hits, windows(now));
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The capture-time window of each model version, earliest first. */
    public List<ModelWindow> windows() {
        lifecycle.readLock().lock();
        try {
            return windows(clock.millis());
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private List<ModelWindow> windows(long now) {
        long cutoff = cutoff(now);
        Map<String, long[]> all = new TreeMap<>();
        for (Partition p : partitions.values()) {
            p.windows().forEach((m, w) -> all.merge(m, w, (a, b) -> new long[] {Math.min(a[0], b[0]),
                    Math.max(a[1], b[1])}));
        }
        List<ModelWindow> out = new ArrayList<>();
        all.forEach((m, w) -> {
            if (w[1] >= cutoff) {
                out.add(new ModelWindow(m, Math.max(w[0], cutoff), w[1]));
            }
        });
        out.sort(Comparator.comparingLong(ModelWindow::fromMs).thenComparing(ModelWindow::modelVersion));
        return out;
    }

    /**
     * Erases a person from the history: every face the matcher matched to them, every face whose cosine to one
     * of their gallery samples (same model version) is at least {@code threshold}, and every face that shares a
     * sighting with one of those. The deletion is committed before this returns.
     *
     * @return how many faces were erased
     */
    public int erase(String identityId, List<QueryVector> samples, double threshold) {
        return erase(identityId, facesOf(identityId, samples, threshold));
    }

    /**
     * Erases the faces {@link #facesOf} found for a person (and the matches to them still waiting for their
     * face); the deletion is committed before this returns.
     *
     * @return how many of the faces were indexed
     */
    public int erase(String identityId, Set<String> faces) {
        lifecycle.readLock().lock();
        try {
            int erased = 0;
            for (Partition p : partitions.values()) {
                erased += p.delete(faces);
                p.commit();
            }
            synchronized (pendingMatches) {
                pendingMatches.keySet().removeAll(faces);
                pendingMatches.values().removeIf(m -> m.identityId().filter(identityId::equals).isPresent());
            }
            return erased;
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * The faces {@link #erase} erases for a person, without erasing them: so that a caller can record what it
     * is about to erase (the erasure markers) before the faces are gone. An exact scan of every partition.
     */
    public Set<String> facesOf(String identityId, List<QueryVector> samples, double threshold) {
        lifecycle.readLock().lock();
        try {
            Set<String> faces = new HashSet<>();
            for (Partition p : partitions.values()) {
                faces.addAll(p.facesOf(identityId, samples, threshold));
            }
            return faces;
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Removes faces by id (the marker of an erased face, read after the face), with any match still waiting for
     * them; searchable no more at once, durable at the next {@link #commit}. Cheap for a face that is not here
     * (no count, no searcher refresh), as most markers replayed into a rebuilt index are.
     */
    public void remove(Collection<String> faceIds) {
        if (faceIds.isEmpty()) {
            return;
        }
        Set<String> faces = Set.copyOf(faceIds);
        lifecycle.readLock().lock();
        try {
            for (Partition p : partitions.values()) {
                p.deleteUncounted(faces);
            }
            synchronized (pendingMatches) {
                pendingMatches.keySet().removeAll(faces);
            }
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Deletes every partition wholly older than the retention cut-off (faces inside the oldest partition that are
     * past it are already left out of searches).
     *
     * @return how many partitions were dropped
     */
    public int expire() throws IOException {
        long cutoff = cutoff(clock.millis());
        lifecycle.writeLock().lock();
        try {
            int dropped = 0;
            for (Partition p : new ArrayList<>(partitions.headMap(cutoff).values())) {
                if (p.end <= cutoff) {
                    partitions.remove(p.start);
                    p.close();
                    deleteTree(partitionDir(p.start));
                    dropped++;
                }
            }
            return dropped;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * Makes everything added so far durable, then records {@code offsets} (how far the sources were read) with
     * it: after a crash, the index reopens with data at least as recent as the offsets it returns, and re-adding
     * a face replaces it, so a replay from there loses nothing and duplicates nothing.
     */
    public void commit(Map<String, Long> offsets) throws IOException {
        lifecycle.readLock().lock();
        try {
            for (Partition p : partitions.values()) {
                p.commit();
            }
            Properties props = new Properties();
            offsets.forEach((k, v) -> props.setProperty(k, Long.toString(v)));
            Path tmp = root.resolve(OFFSETS + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "next source offsets covered by the committed partitions");
            }
            try {
                Files.move(tmp, root.resolve(OFFSETS), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, root.resolve(OFFSETS), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The offsets recorded by the last {@link #commit}; empty for a new index. */
    public Map<String, Long> committedOffsets() throws IOException {
        Path file = root.resolve(OFFSETS);
        if (!Files.exists(file)) {
            return Map.of();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        Map<String, Long> out = new HashMap<>();
        try {
            props.stringPropertyNames().forEach(k -> out.put(k, Long.parseLong(props.getProperty(k))));
        } catch (NumberFormatException e) {
            throw new IOException(file + " is corrupt: " + e.getMessage(), e);
        }
        return out;
    }

    /** Faces indexed (not erased, not expired with their partition). */
    public long size() {
        lifecycle.readLock().lock();
        try {
            long n = 0;
            for (Partition p : partitions.values()) {
                n += p.size();
            }
            return n;
        } catch (IOException e) {
            throw Partition.unchecked(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Start times of the partitions on disk, oldest first. */
    public List<Long> partitionStarts() {
        return List.copyOf(partitions.keySet());
    }

    private long cutoff(long now) {
        return now - settings.retention().toMillis();
    }

    private long partitionStart(long capturedAt) {
        long span = settings.partition().toMillis();
        return Math.floorDiv(capturedAt, span) * span;
    }

    private Partition partitionFor(long capturedAt) throws IOException {
        long start = partitionStart(capturedAt);
        Partition p = partitions.get(start);
        if (p != null) {
            return p;
        }
        synchronized (partitions) {
            p = partitions.get(start);
            if (p == null) {
                p = new Partition(partitionDir(start), start, start + settings.partition().toMillis(),
                        settings.ramBufferMb());
                partitions.put(start, p);
            }
            return p;
        }
    }

    private Path partitionDir(long start) {
        return root.resolve(PARTITION_PREFIX + start);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        lifecycle.writeLock().lock();
        try {
            IOException first = null;
            for (Partition p : partitions.values()) {
                try {
                    p.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            partitions.clear();
            if (first != null) {
                throw first;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
