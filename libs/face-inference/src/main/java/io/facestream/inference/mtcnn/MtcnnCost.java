package io.facestream.inference.mtcnn;

/**
 * Multiply-adds of the MTCNN networks, counted from their layers (MODELS.md §3), so {@code bench} can put the
 * detector's rate beside the engine's GEMM peak. Convolutions and fully connected layers only: PReLU, pooling and
 * softmax add memory traffic, not multiply-adds.
 */
public final class MtcnnCost {

    /** RNet on one 24×24 crop: conv 3→28 (22²), 28→48 (9²), 48→64 (3²), fc 576→128, heads 128→2+4. */
    public static final long RNET_MAC = 22L * 22 * 28 * 27 + 9L * 9 * 48 * 252 + 3L * 3 * 64 * 192 + 576L * 128
            + 128L * 6;
    /**
     * ONet on one 48×48 crop: conv 3→32 (46²), 32→64 (21²), 64→64 (8²), 64→128 2×2 (3²), fc 1152→256, heads
     * 256→2+4+10.
     */
    public static final long ONET_MAC = 46L * 46 * 32 * 27 + 21L * 21 * 64 * 288 + 8L * 8 * 64 * 576
            + 3L * 3 * 128 * 256 + 1152L * 256 + 256L * 16;

    private MtcnnCost() {
    }

    /** PNet's output map on a {@code w × h} level: width and height in cells. */
    public static int[] pnetMap(int w, int h) {
        // conv 3×3 valid, pool 2×2/2 SAME (rounds up), conv 3×3 valid twice
        return new int[] {(w - 2 + 1) / 2 - 4, (h - 2 + 1) / 2 - 4};
    }

    /** PNet on one {@code w × h} level: conv 3→10, 10→16, 16→32 (all 3×3), heads 32→2+4. */
    public static long pnetMac(int w, int h) {
        int w1 = (w - 2 + 1) / 2, h1 = (h - 2 + 1) / 2;
        return (long) (w - 2) * (h - 2) * 10 * 27 + (long) (w1 - 2) * (h1 - 2) * 16 * 90
                + (long) (w1 - 4) * (h1 - 4) * 32 * (144 + 6);
    }

    /** The whole cascade on a {@code width × height} frame, with the crops RNet and ONet saw. */
    public static long frameMac(int width, int height, MtcnnConfig config, double rnetCrops, double onetCrops) {
        long mac = 0;
        for (double scale : MtcnnDetector.pyramidScales(width, height, config)) {
            int w = (int) Math.round(width * scale);
            int h = (int) Math.round(height * scale);
            if (Math.min(w, h) >= 12) {
                mac += pnetMac(w, h);
            }
        }
        return mac + Math.round(rnetCrops * RNET_MAC + onetCrops * ONET_MAC);
    }
}
