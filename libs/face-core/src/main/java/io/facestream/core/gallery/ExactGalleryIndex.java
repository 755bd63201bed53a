package io.facestream.core.gallery;

import io.facestream.core.similarity.VectorSimilarity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Exhaustive search: every query is compared with every sample. Exact and fast enough for galleries of tens
 * of thousands of samples (a 192-d dot product is ~0.1 µs); a larger gallery wants an ANN index behind
 * the same interface.
 */
public final class ExactGalleryIndex implements GalleryIndex {

    private final int dimension;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** identity → (sample → vector); insertion order keeps search results deterministic on ties. */
    private final Map<String, Map<String, float[]>> samples = new LinkedHashMap<>();
    private int size;

    public ExactGalleryIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive");
        }
        this.dimension = dimension;
    }

    @Override
    public void put(String identityId, String sampleId, float[] unitVector) {
        if (unitVector.length != dimension) {
            throw new IllegalArgumentException("expected a " + dimension + "-d vector, got " + unitVector.length);
        }
        lock.writeLock().lock();
        try {
            float[] previous = samples.computeIfAbsent(identityId, k -> new LinkedHashMap<>())
                    .put(sampleId, unitVector.clone());
            if (previous == null) {
                size++;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void removeSample(String identityId, String sampleId) {
        lock.writeLock().lock();
        try {
            Map<String, float[]> of = samples.get(identityId);
            if (of != null && of.remove(sampleId) != null) {
                size--;
                if (of.isEmpty()) {
                    samples.remove(identityId);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void removeIdentity(String identityId) {
        lock.writeLock().lock();
        try {
            Map<String, float[]> removed = samples.remove(identityId);
            if (removed != null) {
                size -= removed.size();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<ScoredIdentity> search(float[] unitQuery, int k) {
        if (unitQuery.length != dimension) {
            throw new IllegalArgumentException("expected a " + dimension + "-d query, got " + unitQuery.length);
        }
        Map<String, Double> best = new HashMap<>();
        lock.readLock().lock();
        try {
            for (Map.Entry<String, Map<String, float[]>> identity : samples.entrySet()) {
                double max = Double.NEGATIVE_INFINITY;
                for (float[] v : identity.getValue().values()) {
                    max = Math.max(max, VectorSimilarity.DOT_PRODUCT.compare(unitQuery, v));
                }
                best.put(identity.getKey(), max);
            }
        } finally {
            lock.readLock().unlock();
        }
        PriorityQueue<ScoredIdentity> top = new PriorityQueue<>(Comparator.comparingDouble(ScoredIdentity::score));
        best.forEach((id, score) -> {
            top.add(new ScoredIdentity(id, score));
            if (top.size() > k) {
                top.poll();
            }
        });
        List<ScoredIdentity> out = new ArrayList<>(top);
        out.sort(Comparator.comparingDouble(ScoredIdentity::score).reversed().thenComparing(ScoredIdentity::identityId));
        return out;
    }

    @Override
    public void forEachSample(BiConsumer<String, String> identityAndSample) {
        lock.readLock().lock();
        try {
            samples.forEach((identity, of) -> of.keySet().forEach(sample -> identityAndSample.accept(identity, sample)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Hands every sample with its vector (not a copy: the visitor must not change it) to the visitor. */
    public void forEachVector(SampleVisitor visitor) {
        lock.readLock().lock();
        try {
            samples.forEach((identity, of) -> of.forEach((sample, v) -> visitor.visit(identity, sample, v)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Receives one sample of {@link #forEachVector}. */
    @FunctionalInterface
    public interface SampleVisitor {
        void visit(String identityId, String sampleId, float[] unitVector);
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }
}
