/**
 * Robust decoding of untrusted images into 8-bit RGB OpenCV Mats.
 *
 * <p>{@link io.facestream.vision.decode.ImageDecoder} is the entry point; {@link
 * io.facestream.vision.decode.ImageHeader#probe(byte[])} reads dimensions without decoding, and every refusal is
 * an {@link io.facestream.vision.decode.ImageDecodeException} with a machine-readable reason and a one-line
 * message for people.
 */
package io.facestream.vision.decode;
