package io.facestream.search.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The faces captured in one time span: a Lucene index on disk (HNSW graph over the vectors, filters on camera,
 * time and model version) with a near-real-time searcher, so a face is searchable as soon as it is added.
 */
final class Partition implements AutoCloseable {

    static final String FACE = "face";
    static final String FRAME = "frame";
    static final String CAMERA = "camera";
    static final String AT = "at";
    static final String MODEL = "model";
    static final String VECTOR = "vector";
    /** Doc values updated in place when the face's match arrives, without re-indexing the vector. */
    static final String SIGHTING = "sighting";
    static final String IDENTITY = "identity";
    private static final BytesRef NONE = new BytesRef(new byte[0]);

    final long start;
    final long end;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Model version → {earliest, latest} capture time indexed here. */
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    Partition(Path dir, long start, long end, double ramBufferMb) throws IOException {
        this.start = start;
        this.end = end;
        Files.createDirectories(dir);
        directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(ramBufferMb)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setCommitOnClose(true);
        writer = new IndexWriter(directory, config);
        searchers = new SearcherManager(writer, null);
        loadWindows();
    }

    void add(HistoryEntry e, Optional<MatchInfo> match) throws IOException {
        Document d = new Document();
        d.add(new StringField(FACE, e.faceId(), Field.Store.YES));
        d.add(new StoredField(FRAME, e.frameId()));
        d.add(new StringField(CAMERA, e.cameraId(), Field.Store.YES));
        d.add(new LongPoint(AT, e.capturedAt()));
        d.add(new StoredField(AT, e.capturedAt()));
        d.add(new NumericDocValuesField(AT, e.capturedAt()));
        d.add(new StringField(MODEL, e.modelVersion(), Field.Store.YES));
        d.add(new SortedDocValuesField(MODEL, new BytesRef(e.modelVersion())));
        d.add(new KnnFloatVectorField(VECTOR, e.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new BinaryDocValuesField(SIGHTING, match.flatMap(MatchInfo::sightingId).map(BytesRef::new).orElse(NONE)));
        d.add(new BinaryDocValuesField(IDENTITY, match.flatMap(MatchInfo::identityId).map(BytesRef::new).orElse(NONE)));
        writer.updateDocument(new Term(FACE, e.faceId()), d);
        windows.compute(e.modelVersion(), (m, w) -> w == null ? new long[] {e.capturedAt(), e.capturedAt()}
                : new long[] {Math.min(w[0], e.capturedAt()), Math.max(w[1], e.capturedAt())});
    }

    /** Sets the sighting and identity of an indexed face; no-op when the face is not here. */
    void recordMatch(String faceId, MatchInfo match) throws IOException {
        Term face = new Term(FACE, faceId);
        writer.updateDocValues(face,
                new BinaryDocValuesField(SIGHTING, match.sightingId().map(BytesRef::new).orElse(NONE)),
                new BinaryDocValuesField(IDENTITY, match.identityId().map(BytesRef::new).orElse(NONE)));
    }

    /** The best {@code k} faces for one query vector that pass the filter, with their cosine. */
    List<HistoryHit> search(QueryVector q, Optional<String> camera, long from, long to, int k) throws IOException {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MODEL, q.modelVersion())), Occur.FILTER)
                .add(LongPoint.newRangeQuery(AT, from, to - 1), Occur.FILTER);
        camera.ifPresent(c -> filter.add(new TermQuery(new Term(CAMERA, c)), Occur.FILTER));
        Query knn = new KnnFloatVectorQuery(VECTOR, q.vector(), k, filter.build());
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(knn, k);
            StoredFields stored = searcher.storedFields();
            List<HistoryHit> hits = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                Document d = stored.document(sd.doc);
                // Lucene scores DOT_PRODUCT as (1 + cos) / 2; back to the cosine that thresholds are stated in.
                double cosine = 2.0 * sd.score - 1.0;
                hits.add(new HistoryHit(d.get(FACE), d.get(FRAME), d.get(CAMERA),
                        d.getField(AT).numericValue().longValue(), d.get(MODEL), cosine, sighting(searcher, sd.doc)));
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    private static Optional<String> sighting(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues values = DocValues.getBinary(leaf.reader(), SIGHTING);
        if (!values.advanceExact(doc - leaf.docBase)) {
            return Optional.empty();
        }
        BytesRef b = values.binaryValue();
        return b.length == 0 ? Optional.empty() : Optional.of(b.utf8ToString());
    }

    /**
     * The faces to erase for one person: those matched to them, those whose cosine to one of their samples (same
     * model version) is at least {@code threshold}, and every face sharing a sighting with either.
     * An exact scan of the partition's vectors: erasure must be complete, which an approximate search is not.
     */
    Set<String> facesOf(String identityId, List<QueryVector> samples, double threshold) throws IOException {
        BytesRef who = new BytesRef(identityId);
        Set<String> faces = new java.util.HashSet<>();
        Set<BytesRef> sightings = new java.util.HashSet<>();
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                scanLeaf(leaf.reader(), who, samples, threshold, faces, sightings);
            }
            if (!sightings.isEmpty()) {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    LeafReader r = leaf.reader();
                    Bits live = r.getLiveDocs();
                    BinaryDocValues sighting = DocValues.getBinary(r, SIGHTING);
                    StoredFields stored = r.storedFields();
                    for (int doc = sighting.nextDoc(); doc != BinaryDocValues.NO_MORE_DOCS; doc = sighting.nextDoc()) {
                        if ((live == null || live.get(doc)) && sightings.contains(sighting.binaryValue())) {
                            faces.add(stored.document(doc, Set.of(FACE)).get(FACE));
                        }
                    }
                }
            }
            return faces;
        } finally {
            searchers.release(searcher);
        }
    }

    private static void scanLeaf(LeafReader r, BytesRef who, List<QueryVector> samples, double threshold,
            Set<String> faces, Set<BytesRef> sightings) throws IOException {
        Bits live = r.getLiveDocs();
        BinaryDocValues identity = DocValues.getBinary(r, IDENTITY);
        BinaryDocValues sighting = DocValues.getBinary(r, SIGHTING);
        SortedDocValues model = DocValues.getSorted(r, MODEL);
        FloatVectorValues vectors = r.getFloatVectorValues(VECTOR);
        StoredFields stored = r.storedFields();
        if (vectors == null) {
            return;
        }
        for (int doc = vectors.nextDoc(); doc != FloatVectorValues.NO_MORE_DOCS; doc = vectors.nextDoc()) {
            if (live != null && !live.get(doc)) {
                continue;
            }
            boolean erase = identity.advanceExact(doc) && identity.binaryValue().bytesEquals(who);
            if (!erase && model.advanceExact(doc)) {
                String version = model.lookupOrd(model.ordValue()).utf8ToString();
                float[] v = vectors.vectorValue();
                for (QueryVector s : samples) {
                    if (s.modelVersion().equals(version) && dot(s.vector(), v) >= threshold) {
                        erase = true;
                        break;
                    }
                }
            }
            if (erase) {
                faces.add(stored.document(doc, Set.of(FACE)).get(FACE));
                if (sighting.advanceExact(doc) && sighting.binaryValue().length > 0) {
                    sightings.add(BytesRef.deepCopyOf(sighting.binaryValue()));
                }
            }
        }
    }

    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.NEGATIVE_INFINITY;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Deletes the given faces; returns how many were here. */
    int delete(Set<String> faceIds) throws IOException {
        if (faceIds.isEmpty()) {
            return 0;
        }
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        int here = 0;
        try {
            for (String f : faceIds) {
                here += searcher.count(new TermQuery(new Term(FACE, f)));
            }
        } finally {
            searchers.release(searcher);
        }
        writer.deleteDocuments(faceIds.stream().map(f -> new Term(FACE, f)).toArray(Term[]::new));
        return here;
    }

    /** Deletes the given faces without counting them first (no searcher refresh: cheap per face). */
    void deleteUncounted(Set<String> faceIds) throws IOException {
        writer.deleteDocuments(faceIds.stream().map(f -> new Term(FACE, f)).toArray(Term[]::new));
    }

    int size() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
    }

    Map<String, long[]> windows() {
        Map<String, long[]> copy = new HashMap<>();
        windows.forEach((m, w) -> copy.put(m, w.clone()));
        return copy;
    }

    void commit() throws IOException {
        writer.commit();
    }

    /** Rebuilds the per-version windows of what is on disk (doc values only: no vector or stored field is read). */
    private void loadWindows() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                LeafReader r = leaf.reader();
                Bits live = r.getLiveDocs();
                NumericDocValues at = DocValues.getNumeric(r, AT);
                SortedDocValues model = DocValues.getSorted(r, MODEL);
                for (int doc = at.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = at.nextDoc()) {
                    if ((live == null || live.get(doc)) && model.advanceExact(doc)) {
                        long t = at.longValue();
                        windows.compute(model.lookupOrd(model.ordValue()).utf8ToString(), (m, w) -> w == null
                                ? new long[] {t, t} : new long[] {Math.min(w[0], t), Math.max(w[1], t)});
                    }
                }
            }
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }

    /** What the matcher decided about a face. */
    record MatchInfo(Optional<String> sightingId, Optional<String> identityId) {
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }
}
