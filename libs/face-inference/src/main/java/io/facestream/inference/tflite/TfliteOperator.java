package io.facestream.inference.tflite;

/** One operator of a TFLite graph: its builtin code and the tensor indices it reads and writes. */
public record TfliteOperator(int builtinCode, int[] inputs, int[] outputs) {

    // Builtin operator codes from TFLite's schema.fbs (BuiltinOperator).
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int FULLY_CONNECTED = 9;
    public static final int MUL = 18;
}
