package io.facestream.training.testing;

import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.training.crop.FaceCropper;
import io.facestream.training.dataset.ImageFolderImport;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Labelled stores of real aligned faces from {@code faces-dev}, detected and aligned with MTCNN once per JVM. */
public final class DevFaces {

    private static Path johns;

    private DevFaces() {
    }

    /**
     * Three dlib_johns identities (10–11 faces each) aligned into a store, plus one hard negative for the first
     * (a face of the third). Skips the test when the shared folder is absent. Read-only for callers: copy it.
     */
    public static synchronized Path threeJohns() throws IOException {
        if (johns == null) {
            Path set = SharedData.require("faces-dev/dlib_johns");
            Path root = Files.createTempDirectory("facestream-johns");
            LabelledFaces store = new LabelledFaces(root);
            ImageFolderImport importer = new ImageFolderImport(cropper(), new ImageDecoder(DecodeLimits.defaults()),
                    w -> { });
            for (String id : List.of("John_Salley", "John_Savage", "John_Schneider")) {
                importer.importIdentity(id, ImageFolderImport.images(set.resolve(id)), store);
            }
            byte[] negative = Files.readAllBytes(store.facesOf("John_Schneider").get(0));
            store.notThisPerson("John_Salley", negative);
            store.add("John_Schneider", negative); // notThisPerson would not remove it from another class
            johns = root;
        }
        return johns;
    }

    public static FaceCropper cropper() {
        return new FaceCropper(Detection.detector(MtcnnConfig.DEFAULT));
    }
}
