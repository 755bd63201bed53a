package io.facestream.inference.model;

/** The model files cannot be used; the message says which file and what to do. */
public final class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }
}
