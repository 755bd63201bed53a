package io.facestream.galleryindex.hnsw;

/**
 * How an {@link HnswGalleryIndex} is built and searched.
 *
 * @param maxConnections HNSW graph degree (Lucene's {@code M}); more costs memory and build time, buys recall
 * @param beamWidth candidates kept while inserting (Lucene's {@code beamWidth}); more costs build time
 * @param candidates samples fetched from the graph per query and re-ranked exactly (the search beam); at
 *     least the number of identities asked for
 * @param maxDeletedFraction share of deleted samples in a segment above which it is merged away in the
 *     background, so the graph holds live samples again
 * @param maxSamples most samples the index takes; a put beyond it fails
 * @param ramBufferMb heap for samples not yet written to a segment; a larger buffer means fewer, larger
 *     segments (each query searches every segment)
 */
public record HnswSettings(int maxConnections, int beamWidth, int candidates, double maxDeletedFraction,
        int maxSamples, int ramBufferMb) {

    /** Lucene's HNSW writer refuses a degree above 512 and a beam above 3200. */
    public static final int MAX_CONNECTIONS = 512;
    public static final int MAX_BEAM_WIDTH = 3200;
    public static final int MAX_CANDIDATES = 10_000;

    public HnswSettings {
        require(maxConnections >= 2 && maxConnections <= MAX_CONNECTIONS,
                "maxConnections must be in 2.." + MAX_CONNECTIONS + ", got " + maxConnections);
        require(beamWidth >= 1 && beamWidth <= MAX_BEAM_WIDTH,
                "beamWidth must be in 1.." + MAX_BEAM_WIDTH + ", got " + beamWidth);
        require(candidates >= 1 && candidates <= MAX_CANDIDATES,
                "candidates must be in 1.." + MAX_CANDIDATES + ", got " + candidates);
        require(maxDeletedFraction > 0 && maxDeletedFraction < 1,
                "maxDeletedFraction must be in (0, 1), got " + maxDeletedFraction);
        require(maxSamples >= 1, "maxSamples must be positive, got " + maxSamples);
        require(ramBufferMb >= 1 && ramBufferMb <= 2047, "ramBufferMb must be in 1..2047, got " + ramBufferMb);
    }

    /** M 16, beam 100, 100 candidates, merge above 20 % deleted, 10 M samples, 256 MB buffer. */
    public static HnswSettings defaults() {
        return new HnswSettings(16, 100, 100, 0.2, 10_000_000, 256);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
