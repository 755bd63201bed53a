package io.facestream.retraining.crops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The aligned crops of recent faces by face id, bounded by their total size: feedback names a face, the crop
 * itself travels on the {@code faces} topic. The oldest crops are dropped first; operators label faces
 * within minutes, so a few thousand crops cover the review window. Thread-safe.
 */
public final class CropCache {

    private final long maxBytes;
    private final LinkedHashMap<String, KnownCrop> crops = new LinkedHashMap<>(256, 0.75f, false);
    private long bytes;

    public CropCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** Counts the PNG's bytes: the quality is a few fixed-size numbers. */
    public synchronized void put(String faceId, KnownCrop crop) {
        KnownCrop old = crops.remove(faceId);
        if (old != null) {
            bytes -= old.png().length;
        }
        crops.put(faceId, crop);
        bytes += crop.png().length;
        var it = crops.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, KnownCrop> eldest = it.next();
            bytes -= eldest.getValue().png().length;
            it.remove();
        }
    }

    public synchronized Optional<KnownCrop> get(String faceId) {
        return Optional.ofNullable(crops.get(faceId));
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return crops.size();
    }
}
