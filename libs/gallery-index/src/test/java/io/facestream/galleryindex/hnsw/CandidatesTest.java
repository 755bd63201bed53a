package io.facestream.galleryindex.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** The graph is asked for more candidates while deleted samples still sit in it, and never beyond the cap. */
class CandidatesTest {

    @Test
    void widensInProportionToDeletedSamplesUntilTheCap() throws Exception {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
                IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig()
                        .setMergePolicy(NoMergePolicy.INSTANCE))) {
            for (int i = 0; i < 10; i++) {
                Document d = new Document();
                d.add(new StringField("id", "s" + i, Field.Store.NO));
                writer.addDocument(d);
            }
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(100, HnswGalleryIndex.candidates(reader, 100), "nothing deleted: as asked");
            }
            for (int i = 0; i < 5; i++) {
                writer.deleteDocuments(new Term("id", "s" + i));
            }
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(200, HnswGalleryIndex.candidates(reader, 100), "half deleted: twice as many");
                assertEquals(HnswSettings.MAX_CANDIDATES, HnswGalleryIndex.candidates(reader, 6000), "capped");
            }
            for (int i = 5; i < 10; i++) {
                writer.deleteDocuments(new Term("id", "s" + i));
            }
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(100, HnswGalleryIndex.candidates(reader, 100), "nothing live: as asked");
            }
        }
    }
}
