package org.aleph.cli.io;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.UserErrorException;

/**
 * Parses the {@code --shape} option that reads the rows of a 2-D file (CSV or a 2-D
 * {@code .npy}) as images: {@code H,W,C}, or {@code H,W} meaning one channel (C = 1); {@code x}
 * may separate the numbers instead of commas ({@code 28x28x1}).
 */
public final class ShapeOption {

    private ShapeOption() {
    }

    /**
     * The image shape written in {@code text}, or null when {@code text} is null.
     *
     * @param option the option's name, for messages
     * @throws UserErrorException when the text is not two or three positive integers
     */
    public static ImageShape parse(String text, String option) {
        if (text == null) {
            return null;
        }
        String[] parts = text.trim().split("\\s*[,xX]\\s*", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw malformed(text, option);
        }
        long[] dims = new long[3];
        dims[2] = 1;
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("[-+]?\\d{1,9}")) {
                throw malformed(text, option);
            }
            dims[i] = Long.parseLong(parts[i]);
            if (dims[i] < 1) {
                throw new UserErrorException(option + " " + text + ": " + "HWC".charAt(i) + " is " + dims[i]
                        + " but every image dimension must be at least 1");
            }
        }
        if (dims[0] * dims[1] * dims[2] > Integer.MAX_VALUE - 8) {
            throw new UserErrorException(option + " " + text + ": images of " + dims[0] * dims[1] * dims[2]
                    + " values are too large for one row");
        }
        return new ImageShape((int) dims[0], (int) dims[1], (int) dims[2]);
    }

    private static UserErrorException malformed(String text, String option) {
        return new UserErrorException(option + " '" + text + "': expected H,W,C or H,W (positive integers, C = 1 when left out),"
                + " e.g. " + option + " 28,28,1");
    }
}
