package org.aleph.cli.plot;

import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;

/**
 * A framed text box pinned to a corner of the plot area, whatever the axis ranges (numbers
 * behind a panel: errors, test statistics). Lines are separated by '\n'.
 */
public final class CornerNote {

    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private CornerNote() {
    }

    /** A box in the upper left corner. */
    public static XYTitleAnnotation upperLeft(String text) {
        return at(text, 0.015, 0.985, RectangleAnchor.TOP_LEFT);
    }

    /** A box in the upper right corner. */
    public static XYTitleAnnotation upperRight(String text) {
        return at(text, 0.985, 0.985, RectangleAnchor.TOP_RIGHT);
    }

    private static XYTitleAnnotation at(String text, double x, double y, RectangleAnchor anchor) {
        TextTitle t = new TextTitle(text, FONT);
        t.setTextAlignment(HorizontalAlignment.LEFT);
        t.setBackgroundPaint(new Color(255, 255, 255, 215));
        t.setFrame(new BlockBorder(new Color(0xAAAAAA)));
        t.setPadding(new RectangleInsets(3, 5, 3, 5));
        return new XYTitleAnnotation(x, y, t, anchor);
    }
}
