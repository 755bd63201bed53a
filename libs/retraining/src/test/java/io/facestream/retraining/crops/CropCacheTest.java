package io.facestream.retraining.crops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CropCacheTest {

    @Test
    void dropsTheOldestCropsOnceTheBytesExceedTheBound() {
        CropCache cache = new CropCache(10);
        cache.put("a", crop(4));
        cache.put("b", crop(4));
        assertEquals(8, cache.bytes());
        cache.put("c", crop(4)); // 12 > 10: a goes
        assertTrue(cache.get("a").isEmpty());
        assertTrue(cache.get("b").isPresent() && cache.get("c").isPresent());
        assertEquals(8, cache.bytes());
        cache.put("b", crop(2)); // replacing counts the new size only, and b becomes the newest
        assertEquals(6, cache.bytes());
        cache.put("d", crop(5)); // 11 > 10: c (now the oldest) goes, not b
        assertTrue(cache.get("c").isEmpty());
        assertTrue(cache.get("b").isPresent() && cache.get("d").isPresent());
        assertEquals(2, cache.size());
    }

    private static KnownCrop crop(int bytes) {
        return new KnownCrop(new byte[bytes], Optional.empty());
    }
}
