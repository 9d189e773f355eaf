namespace WorkFleet.Jobs.BuiltIn;

/// <summary>The job types registered by <c>services.AddBuiltInJobs()</c>.</summary>
public static class BuiltInJobTypes
{
    /// <summary>Text normalization and WordPiece tokenization; see <see cref="Tokenization.TokenizeInput"/>.</summary>
    public const string Tokenize = "preprocess.tokenize";

    /// <summary>Per-feature standardization or min-max scaling; see <see cref="Normalization.NormalizeInput"/>.</summary>
    public const string Normalize = "preprocess.normalize";

    /// <summary>Image to normalized CHW tensor (decode, bilinear resize, center crop); see <see cref="ImageResize.ResizeInput"/>.</summary>
    public const string Resize = "preprocess.resize";

    /// <summary>Dense feed-forward classifier inference; see <see cref="Inference.MlpInput"/>.</summary>
    public const string Mlp = "inference.mlp";

    /// <summary>ONNX model inference on ONNX Runtime; see <see cref="Onnx.OnnxInput"/>.</summary>
    public const string Onnx = "inference.onnx";

    /// <summary>A dense matrix multiplication kernel; see <see cref="MatrixMultiply.MatMulInput"/>.</summary>
    public const string MatMul = "compute.matmul";
}
