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
    private final LinkedHashMap<String, byte[]> crops = new LinkedHashMap<>(256, 0.75f, false);
    private long bytes;

    public CropCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    public synchronized void put(String faceId, byte[] png) {
        byte[] old = crops.remove(faceId);
        if (old != null) {
            bytes -= old.length;
        }
        crops.put(faceId, png);
        bytes += png.length;
        var it = crops.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, byte[]> eldest = it.next();
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }

    public synchronized Optional<byte[]> get(String faceId) {
        return Optional.ofNullable(crops.get(faceId));
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return crops.size();
    }
}
