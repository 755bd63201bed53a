package io.facestream.galleryindex.hnsw;

import io.facestream.core.gallery.GalleryIndex;
import io.facestream.core.gallery.GalleryIndexStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link TieredGalleryIndex} per model version, each in its own folder under a root folder ({@code
 * v-<hex of the version>}), or on the heap when there is no root. A commit writes every index with the gallery
 * topic offsets it covers; on open, {@link #resumeOffsets()} is the smallest offset per partition over the
 * persisted indexes, so no index misses a record (the others see a few again, harmlessly).
 *
 * <p>The offsets are only meaningful for the topic they were read from: a deleted and re-created gallery topic
 * needs the folder removed too.
 */
public final class HnswGalleryStore implements GalleryIndexStore {

    private static final Logger LOG = LoggerFactory.getLogger(HnswGalleryStore.class);
    private static final String DIR_PREFIX = "v-";
    static final String OFFSET_PREFIX = "gallery.offset.";
    static final String MODEL_VERSION = "model.version";
    /** Longest model version: it names a folder. */
    public static final int MAX_VERSION_LENGTH = 100;

    private final Optional<Path> root;
    private final int dimension;
    private final HnswSettings settings;
    private final int exactBelow;
    private final Map<String, TieredGalleryIndex> byModel = new ConcurrentHashMap<>();
    private final Set<String> persisted;
    private final Map<Integer, Long> resume;

    /**
     * @param root folder of the persisted indexes; empty = on the heap, nothing persisted
     * @param exactBelow gallery size from which a version's searches use the HNSW graph
     */
    public HnswGalleryStore(Optional<Path> root, int dimension, HnswSettings settings, int exactBelow) {
        this.root = root;
        this.dimension = dimension;
        this.settings = settings;
        this.exactBelow = exactBelow;
        Map<String, Map<String, String>> commits = new LinkedHashMap<>();
        if (root.isPresent()) {
            try {
                Files.createDirectories(root.get());
                try (Stream<Path> dirs = Files.list(root.get())) {
                    for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
                        String name = dir.getFileName().toString();
                        if (Files.isDirectory(dir) && name.startsWith(DIR_PREFIX)) {
                            String version = new String(HexFormat.of().parseHex(name.substring(DIR_PREFIX.length())),
                                    StandardCharsets.UTF_8);
                            TieredGalleryIndex index = open(version);
                            byModel.put(version, index);
                            commits.put(version, index.ann().committedData());
                        }
                    }
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot read gallery index folder " + root.get(), e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        persisted = Set.copyOf(commits.keySet());
        resume = smallestOffsets(commits.values());
        if (!persisted.isEmpty()) {
            LOG.info("gallery indexes reopened for model versions {}; resuming the gallery topic at {}", persisted, resume);
        }
    }

    private static Map<Integer, Long> smallestOffsets(Iterable<Map<String, String>> commits) {
        Map<Integer, Long> smallest = null;
        for (Map<String, String> data : commits) {
            Map<Integer, Long> offsets = new HashMap<>();
            data.forEach((k, v) -> {
                if (k.startsWith(OFFSET_PREFIX)) {
                    offsets.put(Integer.parseInt(k.substring(OFFSET_PREFIX.length())), Long.parseLong(v));
                }
            });
            if (smallest == null) {
                smallest = offsets;
            } else {
                Map<Integer, Long> both = new HashMap<>();
                for (Map.Entry<Integer, Long> e : smallest.entrySet()) {
                    Long other = offsets.get(e.getKey());
                    if (other != null) {
                        both.put(e.getKey(), Math.min(other, e.getValue()));
                    }
                }
                smallest = both; // a partition one index lacks is read from its beginning
            }
        }
        return smallest == null ? Map.of() : Map.copyOf(smallest);
    }

    private TieredGalleryIndex open(String modelVersion) {
        if (modelVersion.isEmpty() || modelVersion.length() > MAX_VERSION_LENGTH) {
            throw new IllegalArgumentException("model version must be 1.." + MAX_VERSION_LENGTH + " characters");
        }
        HnswGalleryIndex ann = root
                .map(r -> HnswGalleryIndex.open(r.resolve(DIR_PREFIX
                        + HexFormat.of().formatHex(modelVersion.getBytes(StandardCharsets.UTF_8))), dimension, settings))
                .orElseGet(() -> HnswGalleryIndex.inMemory(dimension, settings));
        try {
            return new TieredGalleryIndex(ann, dimension, exactBelow);
        } catch (RuntimeException e) {
            ann.close();
            throw e;
        }
    }

    @Override
    public GalleryIndex index(String modelVersion) {
        return byModel.computeIfAbsent(modelVersion, this::open);
    }

    @Override
    public Set<String> persistedVersions() {
        return persisted;
    }

    @Override
    public Map<Integer, Long> resumeOffsets() {
        return resume;
    }

    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        if (root.isEmpty()) {
            return;
        }
        byModel.forEach((version, index) -> {
            Map<String, String> data = new HashMap<>();
            nextOffsets.forEach((p, o) -> data.put(OFFSET_PREFIX + p, Long.toString(o)));
            data.put(MODEL_VERSION, version);
            index.ann().commit(data);
        });
    }

    /** The index of a model version, if one was opened (tests, the bench). */
    public Optional<TieredGalleryIndex> tiered(String modelVersion) {
        return Optional.ofNullable(byModel.get(modelVersion));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (TieredGalleryIndex index : byModel.values()) {
            try {
                index.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        byModel.clear();
        if (first != null) {
            throw first;
        }
    }
}
