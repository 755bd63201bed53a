package io.facestream.training.sampling;

import java.util.Random;

/**
 * The plain sampler: every example once per epoch in a fresh seeded shuffle, so classes appear as often as
 * they have examples. A batch that crosses an epoch boundary continues with the next shuffle.
 */
public final class ShuffledEpochSampler implements BatchSampler {

    private final Random random;
    private final int[] order;
    private int position;

    public ShuffledEpochSampler(int examples, Random random) {
        if (examples < 1) {
            throw new IllegalArgumentException("no examples to sample");
        }
        this.random = random;
        this.order = new int[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = i;
        }
        position = examples; // shuffle on first use
    }

    @Override
    public int[] next(int size) {
        int[] batch = new int[size];
        for (int i = 0; i < size; i++) {
            if (position == order.length) {
                shuffle();
                position = 0;
            }
            batch[i] = order[position++];
        }
        return batch;
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
