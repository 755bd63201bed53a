package io.facestream.search.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The gallery samples (vectors) of each enrolled person, on disk: the queries of a search by identity, and what
 * erasure compares the history with. A removed sample is only retired at first — an erasure tombstones a
 * person's samples before the person, and still needs their vectors when the person's tombstone arrives — and is
 * purged once the person is erased or after {@code retiredFor}. Thread-safe.
 */
public final class EnrolledSamples implements AutoCloseable {

    private static final String KEY = "key";
    private static final String IDENTITY = "identity";
    private static final String MODEL = "model";
    private static final String VECTOR = "vector";
    /** 0 while the sample is enrolled, else when its tombstone was seen (epoch ms). */
    private static final String RETIRED_AT = "retiredAt";
    /** Lucene's TermQuery collects scores; a search by identity reads at most this many samples. */
    public static final int MAX_PER_IDENTITY = 1000;

    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Clock clock;

    public EnrolledSamples(Path dir, Clock clock) throws IOException {
        this.clock = clock;
        Files.createDirectories(dir);
        directory = FSDirectory.open(dir);
        writer = new IndexWriter(directory, new IndexWriterConfig().setRAMBufferSizeMB(8)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setCommitOnClose(true));
        searchers = new SearcherManager(writer, null);
    }

    /** Adds or replaces the sample stored under {@code key}. */
    public void put(String key, String identityId, QueryVector sample) throws IOException {
        Document d = new Document();
        d.add(new StringField(KEY, key, Field.Store.NO));
        d.add(new StringField(IDENTITY, identityId, Field.Store.NO));
        d.add(new StoredField(MODEL, sample.modelVersion()));
        d.add(new StoredField(VECTOR, new BytesRef(bytes(sample.vector()))));
        d.add(new NumericDocValuesField(RETIRED_AT, 0));
        writer.updateDocument(new Term(KEY, key), d);
    }

    /** The sample's tombstone: it leaves searches by identity, but erasure can still use it for a while. */
    public void retire(String key) throws IOException {
        writer.updateNumericDocValue(new Term(KEY, key), RETIRED_AT, Math.max(1, clock.millis()));
    }

    /** The person's samples; with {@code includeRetired}, also those removed but not purged yet. */
    public List<QueryVector> of(String identityId, boolean includeRetired) throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(new TermQuery(new Term(IDENTITY, identityId)), MAX_PER_IDENTITY);
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            List<QueryVector> out = new ArrayList<>();
            for (ScoreDoc sd : top.scoreDocs) {
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
                NumericDocValues retired = DocValues.getNumeric(leaf.reader(), RETIRED_AT);
                boolean isRetired = retired.advanceExact(sd.doc - leaf.docBase) && retired.longValue() != 0;
                if (includeRetired || !isRetired) {
                    Document d = searcher.storedFields().document(sd.doc, Set.of(MODEL, VECTOR));
                    out.add(new QueryVector(d.get(MODEL), floats(d.getBinaryValue(VECTOR))));
                }
            }
            return out;
        } finally {
            searchers.release(searcher);
        }
    }

    /** Purges every sample of an erased person. */
    public void removeIdentity(String identityId) throws IOException {
        writer.deleteDocuments(new Term(IDENTITY, identityId));
        writer.commit();
    }

    /**
     * Purges samples retired longer than {@code olderThanMs} ago (a sample removed on its own, its person not
     * erased).
     */
    public void purgeRetired(long olderThanMs) throws IOException {
        writer.deleteDocuments(NumericDocValuesField.newSlowRangeQuery(RETIRED_AT, 1, clock.millis() - olderThanMs));
    }

    public void commit() throws IOException {
        writer.commit();
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static float[] floats(BytesRef b) {
        float[] v = new float[b.length / Float.BYTES];
        ByteBuffer.wrap(b.bytes, b.offset, b.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
