namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// Where <c>inference.onnx</c> finds models and where it runs them, bound from <c>WorkFleet:Jobs:Onnx</c>
/// (e.g. <c>WorkFleet__Jobs__Onnx__ModelDirectory=/models</c>).
/// </summary>
public sealed class OnnxModelOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "WorkFleet:Jobs:Onnx";

    /// <summary>The worker capability that turns <see cref="UseCuda"/> on.</summary>
    public const string GpuCapability = "gpu";

    /// <summary>
    /// A directory of user models, each a file <c>&lt;name&gt;.onnx</c> named by the job's <c>model</c>; a file
    /// here shadows a shipped model of the same name. Default <c>null</c>: only the shipped models
    /// (<c>digits-mlp.onnx</c>). Must exist when set.
    /// </summary>
    public string? ModelDirectory { get; set; }

    /// <summary>
    /// Append ONNX Runtime's CUDA execution provider to every session (CPU stays the fallback for operators CUDA
    /// lacks). A worker sets this itself when <c>WorkFleet:Worker:Capabilities</c> holds <see cref="GpuCapability"/>
    /// (for the whole process: a process hosting several workers shares its sessions). It needs
    /// the CUDA build of ONNX Runtime (the <c>Microsoft.ML.OnnxRuntime.Gpu</c> package instead of the CPU one this
    /// project ships), CUDA 12 and cuDNN 9; without them every <c>inference.onnx</c> task fails saying so.
    /// Default <c>false</c> (CPU only).
    /// </summary>
    public bool UseCuda { get; set; }

    /// <summary>The CUDA device the sessions use when <see cref="UseCuda"/> is set (0 or more). Default 0.</summary>
    public int CudaDeviceId { get; set; }
}
