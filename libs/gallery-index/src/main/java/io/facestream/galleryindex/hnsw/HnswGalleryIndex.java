package io.facestream.galleryindex.hnsw;

import io.facestream.core.gallery.ExactGalleryIndex.SampleVisitor;
import io.facestream.core.gallery.GalleryIndex;
import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.similarity.VectorSimilarity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Approximate gallery search on Lucene's HNSW graphs (walked on scalar-quantized vectors), with the top
 * {@link HnswSettings#candidates()} samples re-ranked by their exact float cosine, so a reported score is the same as {@code ExactGalleryIndex}'s.
 *
 * <p>Writes go to a Lucene {@link IndexWriter}; the first search after a write refreshes the reader, so a put or
 * a tombstone is visible to the next search (a deleted sample never comes back from a graph that still holds
 * it: Lucene skips deleted documents while it walks the graph). Segments whose deleted share passes
 * {@link HnswSettings#maxDeletedFraction()} are merged away on Lucene's merge thread, which rebuilds their
 * graph from the live samples. {@link #commit} makes the index durable with caller data (the gallery topic
 * offsets it covers); a reopened index starts from its last commit.
 */
public final class HnswGalleryIndex implements GalleryIndex, AutoCloseable {

    static final String VECTOR = "vector";
    static final String KEY = "key";
    static final String IDENTITY = "identity";
    static final String SAMPLE = "sample";
    /** Longest identity or sample id: keys are ids, not documents. */
    public static final int MAX_ID_LENGTH = 256;
    /** A unit vector's squared norm may be off by this much (float rounding of the embedder's normalisation). */
    private static final double NORM_TOLERANCE = 1e-2;

    private final int dimension;
    private final HnswSettings settings;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, String> committed;
    /** Writes done, and the count the current reader includes: a search refreshes when they differ. */
    private final AtomicLong writes = new AtomicLong();
    private volatile long refreshedWrites;
    private final Object refreshLock = new Object();
    private long deletedSeenAtLastCheck = -1;

    private HnswGalleryIndex(Directory directory, int dimension, HnswSettings settings) throws IOException {
        if (dimension < 1 || dimension > 1024) {
            throw new IllegalArgumentException("dimension must be in 1..1024 (Lucene's limit), got " + dimension);
        }
        this.dimension = dimension;
        this.settings = settings;
        this.directory = directory;
        IndexWriterConfig config = new IndexWriterConfig();
        // The graph is walked on 7-bit copies of the vectors (a quarter of the bytes read per step; 0.74 against
        // 0.96 ms p50 at 10^5, the same recall: README, "Gallery"); the float vectors stay beside them for the
        // exact re-rank. Segments written by the float-only format before still open: each names its format.
        KnnVectorsFormat format = new Lucene99HnswScalarQuantizedVectorsFormat(settings.maxConnections(),
                settings.beamWidth());
        config.setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        });
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setRAMBufferSizeMB(settings.ramBufferMb());
        config.setCommitOnClose(false); // a commit must carry its offsets; close() loses only what replays again
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setForceMergeDeletesPctAllowed(settings.maxDeletedFraction() * 100);
        config.setMergePolicy(merges);
        ConcurrentMergeScheduler scheduler = new ConcurrentMergeScheduler();
        scheduler.setMaxMergesAndThreads(2, 1); // one background merge thread: the matcher needs the other cores
        config.setMergeScheduler(scheduler);
        try {
            writer = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        try {
            Map<String, String> data = new HashMap<>();
            Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
            if (live != null) {
                live.forEach(e -> data.put(e.getKey(), e.getValue()));
            }
            committed = Map.copyOf(data);
            searchers = new SearcherManager(writer, null);
            checkStoredDimension();
        } catch (IOException | RuntimeException e) {
            writer.rollback();
            directory.close();
            throw e;
        }
    }

    /** Opens the index persisted in {@code dir}, or creates an empty one there. */
    public static HnswGalleryIndex open(Path dir, int dimension, HnswSettings settings) {
        try {
            return new HnswGalleryIndex(FSDirectory.open(dir), dimension, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open gallery index in " + dir, e);
        }
    }

    /** An index held on the heap, lost on close. */
    public static HnswGalleryIndex inMemory(int dimension, HnswSettings settings) {
        try {
            return new HnswGalleryIndex(new ByteBuffersDirectory(), dimension, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkStoredDimension() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(VECTOR);
                if (info != null && info.getVectorDimension() != dimension) {
                    throw new IllegalArgumentException("the persisted gallery index holds "
                            + info.getVectorDimension() + "-d vectors, expected " + dimension);
                }
            }
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public void put(String identityId, String sampleId, float[] unitVector) {
        checkIds(identityId, sampleId);
        checkVector(unitVector, "vector");
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(VECTOR, unitVector, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new StringField(KEY, key(identityId, sampleId), Field.Store.NO));
        doc.add(new StringField(IDENTITY, identityId, Field.Store.YES));
        doc.add(new SortedDocValuesField(IDENTITY, new BytesRef(identityId)));
        doc.add(new StoredField(SAMPLE, sampleId));
        try {
            if (writer.getDocStats().numDocs >= settings.maxSamples()) {
                throw new IllegalStateException("gallery index is full: at most " + settings.maxSamples() + " samples");
            }
            writer.updateDocument(new Term(KEY, key(identityId, sampleId)), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index write failed", e);
        }
        writes.incrementAndGet();
    }

    @Override
    public void removeSample(String identityId, String sampleId) {
        delete(new Term(KEY, key(identityId, sampleId)));
    }

    @Override
    public void removeIdentity(String identityId) {
        delete(new Term(IDENTITY, identityId));
    }

    private void delete(Term term) {
        try {
            writer.deleteDocuments(term);
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index delete failed", e);
        }
        writes.incrementAndGet();
    }

    @Override
    public List<ScoredIdentity> search(float[] unitQuery, int k) {
        return search(unitQuery, k, settings.candidates());
    }

    /** {@link #search(float[], int)} with another search beam than the settings' (the bench's trade-off curve). */
    public List<ScoredIdentity> search(float[] unitQuery, int k, int candidates) {
        checkVector(unitQuery, "query");
        if (k < 1 || k > HnswSettings.MAX_CANDIDATES) {
            throw new IllegalArgumentException("k must be in 1.." + HnswSettings.MAX_CANDIDATES + ", got " + k);
        }
        if (candidates < 1 || candidates > HnswSettings.MAX_CANDIDATES) {
            throw new IllegalArgumentException("candidates must be in 1.." + HnswSettings.MAX_CANDIDATES + ", got "
                    + candidates);
        }
        IndexSearcher s = acquireFresh();
        try {
            int n = candidates(s.getIndexReader(), Math.max(k, candidates));
            ScoreDoc[] hits = s.search(new KnnFloatVectorQuery(VECTOR, unitQuery, n), n).scoreDocs;
            return bestIdentities(s, hits, unitQuery, k);
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index search failed", e);
        } finally {
            release(s);
        }
    }

    /**
     * The candidates to ask the graph for: more while deleted samples still sit in it (until their segment is
     * merged away), in proportion to all samples over live ones, since the walk spends its beam on them too.
     * Measured at 10⁵ with half deleted, 100 candidates gave recall@1 0.980 (README, "Gallery").
     */
    static int candidates(IndexReader reader, int wanted) {
        int live = reader.numDocs();
        int all = reader.maxDoc();
        if (live <= 0 || all <= live) {
            return wanted;
        }
        return (int) Math.min(HnswSettings.MAX_CANDIDATES, (long) Math.ceil((double) wanted * all / live));
    }

    /** Exact cosine of every candidate, best per identity, the {@code k} best identities. */
    private static List<ScoredIdentity> bestIdentities(IndexSearcher s, ScoreDoc[] hits, float[] query, int k)
            throws IOException {
        int[] docs = new int[hits.length];
        for (int i = 0; i < hits.length; i++) {
            docs[i] = hits[i].doc;
        }
        Arrays.sort(docs); // vector and doc-value iterators only move forward
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        Map<String, Double> best = new HashMap<>();
        int i = 0;
        while (i < docs.length) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues(VECTOR);
            SortedDocValues ids = leaf.reader().getSortedDocValues(IDENTITY);
            int end = leaf.docBase + leaf.reader().maxDoc();
            for (; i < docs.length && docs[i] < end; i++) {
                int doc = docs[i] - leaf.docBase;
                if (vectors.advance(doc) != doc || !ids.advanceExact(doc)) {
                    throw new IllegalStateException("gallery index document " + docs[i] + " lacks its vector or identity");
                }
                double score = VectorSimilarity.DOT_PRODUCT.compare(query, vectors.vectorValue());
                best.merge(ids.lookupOrd(ids.ordValue()).utf8ToString(), score, Math::max);
            }
        }
        List<ScoredIdentity> out = new ArrayList<>(best.size());
        best.forEach((id, score) -> out.add(new ScoredIdentity(id, score)));
        out.sort(Comparator.comparingDouble(ScoredIdentity::score).reversed().thenComparing(ScoredIdentity::identityId));
        return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
    }

    @Override
    public int size() {
        IndexSearcher s = acquireFresh();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            release(s);
        }
    }

    @Override
    public void forEachSample(BiConsumer<String, String> identityAndSample) {
        forEachLive((identity, sample, vector) -> identityAndSample.accept(identity, sample), false);
    }

    /** Every live sample with its vector (a buffer the visitor must copy to keep). */
    public void forEachVector(SampleVisitor visitor) {
        forEachLive(visitor, true);
    }

    private void forEachLive(SampleVisitor visitor, boolean withVectors) {
        IndexSearcher s = acquireFresh();
        try {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                LeafReader reader = leaf.reader();
                Bits live = reader.getLiveDocs();
                StoredFields stored = reader.storedFields();
                FloatVectorValues vectors = withVectors ? reader.getFloatVectorValues(VECTOR) : null;
                for (int doc = 0; doc < reader.maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document d = stored.document(doc, Set.of(IDENTITY, SAMPLE));
                    float[] v = null;
                    if (vectors != null) {
                        int at = vectors.docID() < doc ? vectors.advance(doc) : vectors.docID();
                        if (at != doc) {
                            throw new IllegalStateException("gallery index document " + doc + " lacks its vector");
                        }
                        v = vectors.vectorValue();
                    }
                    visitor.visit(d.get(IDENTITY), d.get(SAMPLE), v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index read failed", e);
        } finally {
            release(s);
        }
    }

    /** Makes every write so far durable, with {@code data} (e.g. topic offsets) readable after a reopen. */
    public void commit(Map<String, String> data) {
        try {
            writer.setLiveCommitData(Map.copyOf(data).entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index commit failed", e);
        }
        writes.incrementAndGet();
        release(acquireFresh()); // refreshes, and merges away deletions past the limit
    }

    /** The data of the commit this index was opened from; empty for a new index. */
    public Map<String, String> committedData() {
        return committed;
    }

    /** Segments (each query searches all of them) and deleted samples not yet merged away, for tests and the bench. */
    public IndexStats stats() {
        IndexSearcher s = acquireFresh();
        try {
            DirectoryReader r = (DirectoryReader) s.getIndexReader();
            return new IndexStats(r.leaves().size(), r.numDocs(), r.numDeletedDocs());
        } finally {
            release(s);
        }
    }

    /** Segment count, live samples and deleted samples still in segments. */
    public record IndexStats(int segments, int liveSamples, int deletedSamples) {
    }

    /** Merges every segment into one, waiting for it (an offline step, e.g. after a bulk load). */
    public void forceMerge() {
        try {
            writer.forceMerge(1);
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index merge failed", e);
        }
        writes.incrementAndGet();
    }

    /** Waits for the background merges that are running or pending (tests, the bench). */
    public void awaitMerges() {
        try {
            writer.maybeMerge();
            while (writer.hasPendingMerges()) {
                Thread.sleep(50);
            }
            ((ConcurrentMergeScheduler) writer.getConfig().getMergeScheduler()).sync();
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index merge failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writes.incrementAndGet();
    }

    private IndexSearcher acquireFresh() {
        long seen = writes.get();
        try {
            if (seen != refreshedWrites) {
                synchronized (refreshLock) {
                    if (seen > refreshedWrites) {
                        searchers.maybeRefreshBlocking();
                        refreshedWrites = seen;
                        IndexSearcher s = searchers.acquire();
                        try {
                            cleanDeletionsIfDue((DirectoryReader) s.getIndexReader());
                        } finally {
                            searchers.release(s);
                        }
                    }
                }
            }
            return searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index refresh failed", e);
        }
    }

    /**
     * Asks Lucene to merge away segments whose deleted share passed the limit; the merge runs on its own thread
     * (the merge policy picks only those segments, {@code setForceMergeDeletesPctAllowed}).
     */
    private void cleanDeletionsIfDue(DirectoryReader reader) throws IOException {
        long deleted = reader.numDeletedDocs();
        if (deleted != deletedSeenAtLastCheck && reader.maxDoc() > 0
                && deleted > settings.maxDeletedFraction() * reader.maxDoc()) {
            writer.forceMergeDeletes(false);
        }
        deletedSeenAtLastCheck = deleted;
    }

    private void release(IndexSearcher s) {
        try {
            searchers.release(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkVector(float[] v, String what) {
        if (v == null || v.length != dimension) {
            throw new IllegalArgumentException("expected a " + dimension + "-d " + what + ", got "
                    + (v == null ? "none" : v.length + "-d"));
        }
        double norm = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(what + " has a non-finite component");
            }
            norm += x * (double) x;
        }
        if (Math.abs(norm - 1) > NORM_TOLERANCE) {
            throw new IllegalArgumentException(what + " must be L2-normalised, its squared norm is " + norm);
        }
    }

    private static void checkIds(String identityId, String sampleId) {
        if (identityId == null || identityId.isEmpty() || identityId.length() > MAX_ID_LENGTH
                || identityId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("identity id must be 1.." + MAX_ID_LENGTH + " characters without '/'");
        }
        if (sampleId == null || sampleId.isEmpty() || sampleId.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("sample id must be 1.." + MAX_ID_LENGTH + " characters");
        }
    }

    /** The document's key: the sample's gallery key, unique across identities. */
    private static String key(String identityId, String sampleId) {
        return GalleryKey.of(identityId, sampleId).toString();
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("gallery index close failed", e);
        }
    }
}
