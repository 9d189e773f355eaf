namespace WorkFleet.Jobs.Training.Digits;

/// <summary>
/// The ten digits as pen strokes in a unit box (x right, y down), one or two handwriting styles each.
/// A stroke is a polyline; arcs are ellipse segments sampled every 10 degrees, angle 0 pointing right and
/// 90 pointing down.
/// </summary>
internal static class DigitGlyphs
{
    /// <summary>The styles of each digit; a style is a list of strokes.</summary>
    public static IReadOnlyList<IReadOnlyList<(double X, double Y)[]>>[] Styles { get; } =
    [
        // 0: an upright oval, closed or with a small overlap at the top.
        [
            [Arc(0.5, 0.5, 0.27, 0.4, 0, 360)],
            [Arc(0.5, 0.5, 0.25, 0.4, -100, 280)],
        ],

        // 1: a bare stem, or with a flag and a base.
        [
            [Line((0.52, 0.1), (0.48, 0.9))],
            [Line((0.32, 0.27), (0.52, 0.1), (0.52, 0.9)), Line((0.34, 0.9), (0.7, 0.9))],
        ],

        // 2: a hook, a diagonal and a base; or a rounder body.
        [
            [Join(Arc(0.5, 0.32, 0.26, 0.22, 200, 400), Line((0.22, 0.9), (0.8, 0.9)))],
            [Join(Arc(0.5, 0.35, 0.27, 0.25, 190, 370), Line((0.7, 0.55), (0.25, 0.88), (0.78, 0.86)))],
        ],

        // 3: two bowls opening left; or a flat top with a bowl.
        [
            [Join(Arc(0.5, 0.3, 0.24, 0.2, 200, 450), Arc(0.5, 0.7, 0.27, 0.2, 270, 510))],
            [Join(Line((0.25, 0.1), (0.75, 0.1), (0.45, 0.42)), Arc(0.48, 0.67, 0.28, 0.24, 260, 510))],
        ],

        // 4: closed (diagonal), or open (two verticals).
        [
            [Line((0.62, 0.1), (0.2, 0.62), (0.82, 0.62)), Line((0.62, 0.32), (0.62, 0.9))],
            [Line((0.28, 0.1), (0.24, 0.55), (0.8, 0.55)), Line((0.66, 0.1), (0.66, 0.9))],
        ],

        // 5: top bar, short stem, a bowl.
        [
            [Join(Line((0.76, 0.1), (0.32, 0.1), (0.3, 0.46)), Arc(0.5, 0.66, 0.27, 0.23, 235, 505))],
            [Line((0.32, 0.1), (0.3, 0.46)), Arc(0.5, 0.66, 0.26, 0.23, 235, 505), Line((0.32, 0.1), (0.76, 0.12))],
        ],

        // 6: a falling curve into a loop.
        [
            [Join(Arc(0.64, 0.62, 0.38, 0.52, 245, 170), Arc(0.5, 0.7, 0.24, 0.19, 180, 540))],
            [Join(Line((0.68, 0.1), (0.3, 0.6)), Arc(0.5, 0.7, 0.23, 0.19, 200, 560))],
        ],

        // 7: a bar and a diagonal, with or without a crossbar.
        [
            [Line((0.2, 0.12), (0.8, 0.1), (0.42, 0.9))],
            [Line((0.2, 0.12), (0.8, 0.1), (0.45, 0.9)), Line((0.36, 0.5), (0.74, 0.48))],
        ],

        // 8: two stacked loops.
        [
            [Arc(0.5, 0.3, 0.21, 0.19, 0, 360), Arc(0.5, 0.7, 0.26, 0.21, 0, 360)],
            [Arc(0.5, 0.29, 0.19, 0.18, 90, 450), Arc(0.5, 0.69, 0.25, 0.21, -90, 270)],
        ],

        // 9: a loop with a straight or curved tail.
        [
            [Arc(0.5, 0.32, 0.24, 0.21, 0, 360), Line((0.74, 0.32), (0.7, 0.9))],
            [Arc(0.5, 0.32, 0.23, 0.21, 0, 360), Arc(0.38, 0.35, 0.35, 0.55, 0, 80)],
        ],
    ];

    private static (double X, double Y)[] Line(params (double X, double Y)[] points) => points;

    private static (double X, double Y)[] Join((double X, double Y)[] first, (double X, double Y)[] second) => [.. first, .. second];

    private static (double X, double Y)[] Arc(double cx, double cy, double rx, double ry, double fromDegrees, double toDegrees)
    {
        int steps = Math.Max(2, (int)Math.Ceiling(Math.Abs(toDegrees - fromDegrees) / 10));
        var points = new (double X, double Y)[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            double angle = (fromDegrees + ((toDegrees - fromDegrees) * i / steps)) * Math.PI / 180;
            points[i] = (cx + (rx * Math.Cos(angle)), cy + (ry * Math.Sin(angle)));
        }

        return points;
    }
}
