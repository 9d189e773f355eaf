using WorkFleet.Jobs.Training.Training;

namespace WorkFleet.Jobs.Training.Digits;

/// <summary>
/// Draws one randomly varied digit the way the UCI/scikit-learn "optdigits" set was made from scans: a
/// 32x32 bitmap reduced to 8x8 by counting ink in 4x4 blocks. Variation per sample: the style, a wobble of
/// every stroke point, an affine pen transform (scale, aspect, rotation, slant, shift), the stroke width,
/// the ink darkness, then sensor noise and stray specks on the 8x8 result, quantized to 16 levels.
/// </summary>
internal static class GlyphRenderer
{
    /// <summary>Side of the drawing bitmap.</summary>
    private const int Fine = 32;

    /// <summary>Side of the result.</summary>
    public const int Side = 8;

    /// <summary>Largest intensity of a result pixel.</summary>
    public const int Levels = 15;

    /// <summary>Renders <paramref name="digit"/> with variation drawn from <paramref name="random"/>.</summary>
    /// <returns>64 intensities 0 to 15, row by row.</returns>
    public static byte[] Render(int digit, SplitMix64 random)
    {
        var styles = DigitGlyphs.Styles[digit];
        var strokes = styles[random.NextInt(styles.Count)];

        double scale = random.Uniform(0.72, 1.05);
        double aspect = random.Uniform(0.8, 1.2);
        double rotation = random.Uniform(-12, 12) * Math.PI / 180;
        double slant = random.Uniform(-0.3, 0.3);
        (double shiftX, double shiftY) = (random.Uniform(-0.1, 0.1), random.Uniform(-0.08, 0.08));
        double halfWidth = random.Uniform(0.045, 0.085);
        double ink = random.Uniform(0.7, 1.0);
        (double cos, double sin) = (Math.Cos(rotation), Math.Sin(rotation));

        // Pen transform of each (wobbled) point, around the box center, into bitmap units.
        var paths = strokes.Select(stroke =>
        {
            (double dx, double dy) = (random.Uniform(-0.03, 0.03), random.Uniform(-0.03, 0.03));
            return stroke.Select(point =>
            {
                double x = (point.X - 0.5 + dx + random.Uniform(-0.015, 0.015)) * scale * aspect;
                double y = (point.Y - 0.5 + dy + random.Uniform(-0.015, 0.015)) * scale;
                x += slant * -y;
                (x, y) = ((cos * x) - (sin * y), (sin * x) + (cos * y));
                return ((x + 0.5 + shiftX) * Fine, (y + 0.5 + shiftY) * Fine);
            }).ToArray();
        }).ToArray();

        var blocks = new double[Side * Side];
        double radius = halfWidth * Fine;
        for (int py = 0; py < Fine; py++)
        {
            for (int px = 0; px < Fine; px++)
            {
                double distance = paths.Min(path => DistanceToPolyline(px + 0.5, py + 0.5, path));
                double coverage = Math.Clamp(radius - distance + 0.5, 0, 1);
                blocks[((py / 4) * Side) + (px / 4)] += coverage * ink / 16;
            }
        }

        int specks = random.NextInt(3);
        for (int i = 0; i < specks; i++)
        {
            blocks[random.NextInt(blocks.Length)] += random.Uniform(0.2, 0.6);
        }

        return [.. blocks.Select(value => (byte)Math.Clamp(Math.Round((value + (0.05 * random.NextGaussian())) * Levels), 0, Levels))];
    }

    private static double DistanceToPolyline(double x, double y, (double X, double Y)[] path)
    {
        double best = double.MaxValue;
        for (int i = 1; i < path.Length; i++)
        {
            best = Math.Min(best, DistanceToSegment(x, y, path[i - 1], path[i]));
        }

        return best;
    }

    private static double DistanceToSegment(double x, double y, (double X, double Y) a, (double X, double Y) b)
    {
        (double dx, double dy) = (b.X - a.X, b.Y - a.Y);
        double lengthSquared = (dx * dx) + (dy * dy);
        double t = lengthSquared == 0 ? 0 : Math.Clamp((((x - a.X) * dx) + ((y - a.Y) * dy)) / lengthSquared, 0, 1);
        (double nearestX, double nearestY) = (a.X + (t * dx), a.Y + (t * dy));
        return Math.Sqrt(((x - nearestX) * (x - nearestX)) + ((y - nearestY) * (y - nearestY)));
    }
}
