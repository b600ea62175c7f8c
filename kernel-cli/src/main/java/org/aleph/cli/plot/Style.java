package org.aleph.cli.plot;

import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.plot.XYPlot;

/** The common look of Aleph's charts: white background, light grid, readable fonts. */
final class Style {

    static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Style() {
    }

    static void apply(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlinePaint(Color.DARK_GRAY);
        plot.getDomainAxis().setLabelFont(AXIS_LABEL);
        plot.getRangeAxis().setLabelFont(AXIS_LABEL);
        plot.getDomainAxis().setTickLabelFont(TICK);
        plot.getRangeAxis().setTickLabelFont(TICK);
    }
}
