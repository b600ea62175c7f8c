package org.aleph.cli.plot;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * Colour scales for heat maps, as JFreeChart {@link PaintScale}s. Values outside the range
 * take the end colours; NaN is light grey.
 *
 * <ul>
 *   <li>{@link #diverging}: blue - white - red with white at a chosen centre (e.g. chi_1 = 1,
 *       the edge of chaos), after ColorBrewer's RdBu (Brewer, colorbrewer2.org);</li>
 *   <li>{@link #sequential}: a perceptually ordered dark-blue - green - yellow ramp (viridis
 *       anchors, van der Walt &amp; Smith 2015).</li>
 * </ul>
 */
public final class Palette implements PaintScale, Serializable {

    private static final long serialVersionUID = 1L;

    private static final Color NAN = new Color(0xDDDDDD);
    private static final Color[] RD_BU = {
        new Color(0x053061), new Color(0x2166AC), new Color(0x4393C3), new Color(0x92C5DE), new Color(0xD1E5F0),
        new Color(0xF7F7F7),
        new Color(0xFDDBC7), new Color(0xF4A582), new Color(0xD6604D), new Color(0xB2182B), new Color(0x67001F),
    };
    private static final Color[] VIRIDIS = {
        new Color(0x440154), new Color(0x482878), new Color(0x3E4A89), new Color(0x31688E), new Color(0x26828E),
        new Color(0x1F9E89), new Color(0x35B779), new Color(0x6DCD59), new Color(0xB4DE2C), new Color(0xFDE725),
    };

    private final double lower;
    private final double centre;
    private final double upper;
    private final Color[] colours;
    private final boolean diverging;

    private Palette(double lower, double centre, double upper, Color[] colours, boolean diverging) {
        if (!(lower < upper) || !(centre >= lower && centre <= upper)) {
            throw new IllegalArgumentException("need lower <= centre <= upper, lower < upper: " + lower + ", " + centre + ", " + upper);
        }
        this.lower = lower;
        this.centre = centre;
        this.upper = upper;
        this.colours = colours;
        this.diverging = diverging;
    }

    /** Blue below {@code centre}, white at it, red above; saturated at the bounds. */
    public static Palette diverging(double lower, double centre, double upper) {
        return new Palette(lower, centre, upper, RD_BU, true);
    }

    /** Dark blue at {@code lower} to yellow at {@code upper}. */
    public static Palette sequential(double lower, double upper) {
        return new Palette(lower, lower, upper, VIRIDIS, false);
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        if (Double.isNaN(value)) {
            return NAN;
        }
        double t; // position in [0, 1] along the colour list
        if (diverging) {
            t = value <= centre ? 0.5 * fraction(value, lower, centre) : 0.5 + 0.5 * fraction(value, centre, upper);
        } else {
            t = fraction(value, lower, upper);
        }
        double x = t * (colours.length - 1);
        int i = Math.min(colours.length - 2, (int) Math.floor(x));
        double f = x - i;
        Color a = colours[i];
        Color b = colours[i + 1];
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static double fraction(double v, double a, double b) {
        if (!(b > a)) {
            return 0.5;
        }
        double f = (v - a) / (b - a);
        return f < 0 ? 0 : (f > 1 ? 1 : f);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
