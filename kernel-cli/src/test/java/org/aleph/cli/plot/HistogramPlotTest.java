package org.aleph.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HistogramPlot} densities, {@link BandPlot} and {@link Figure#grid} layout. */
class HistogramPlotTest {

    @Test
    void densitiesIntegrateToTheFractionInsideTheRange() {
        double[] v = {-5, -0.9, -0.1, 0, 0.1, 0.2, 0.95, 1.0, 3};
        double[] d = HistogramPlot.densities(v, -1, 1, 4); // bins of width 0.5
        assertEquals(1 / (9 * 0.5), d[0], 1e-15, "-0.9");
        assertEquals(1 / (9 * 0.5), d[1], 1e-15, "-0.1");
        assertEquals(3 / (9 * 0.5), d[2], 1e-15, "0, 0.1, 0.2");
        assertEquals(2 / (9 * 0.5), d[3], 1e-15, "0.95 and the upper end 1.0");
        double integral = 0;
        for (double x : d) {
            integral += 0.5 * x;
        }
        assertEquals(7.0 / 9, integral, 1e-15);
        assertEquals(2.0 / 9, HistogramPlot.outside(v, -1, 1), 1e-15);
    }

    @Test
    void gridLaysPanelsOutRowByRow() {
        double[] x = {0, 1, 2};
        double[] y = {0, 1, 0};
        var band = BandPlot.titled("band").band("b", x, null, new double[] {-1, 0, -1}, new double[] {1, 2, 1}, 0)
                .line("l", x, y, 1).points("p", x, y).thin(x, y, 2).vertical(1, "a").note("n\nm").chart();
        var hist = HistogramPlot.titled("h").histogram("v", new double[] {0.1, 0.5, 0.7}, 0).density("d", x, y, 1).note("x").chart();
        Figure f = Figure.grid(2, 200, 150, List.of(band, hist, band));
        assertEquals(400, f.width());
        assertEquals(300, f.height(), "three panels in two columns: two rows");
        BufferedImage img = f.image();
        assertEquals(400, img.getWidth());
        // the fourth cell (lower right) is empty: white
        assertEquals(0xFFFFFF, img.getRGB(350, 250) & 0xFFFFFF);
    }
}
