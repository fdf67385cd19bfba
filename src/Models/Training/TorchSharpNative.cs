using System.Buffers.Binary;
using System.Text;
using TorchSharp;

namespace Vigil.Models.Training;

/// <summary>
/// Makes sure TorchSharp's native library loads before anything uses it. On Debian 12 the copy of
/// <c>libLibTorchSharp.so</c> beside the program must carry the fix applied by the build
/// (<c>build/torchsharp/TorchSharpDebianFix.targets</c>); this check says so in one line rather than
/// letting libtorch fail with a loader message.
/// </summary>
public static class TorchSharpNative
{
    /// <summary>Name of the shim library the fix links into <c>libLibTorchSharp.so</c>.</summary>
    public const string ShimName = "libglibcxx_compat.so";

    private static readonly Lock Gate = new();
    private static bool _ready;

    /// <summary>
    /// Path of the <c>libLibTorchSharp.so</c> the program loads: beside the application in a build for
    /// one runtime (Vigil's default, see <c>Directory.Build.props</c>), under <c>runtimes/linux-x64/native</c>
    /// in a portable build.
    /// </summary>
    public static string LibraryPath
    {
        get
        {
            var flat = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
            return File.Exists(flat) ? flat : Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    /// <summary>
    /// Checks the fix is in place (Linux) and initialises libtorch on the CPU, once per process.
    /// </summary>
    /// <exception cref="InvalidOperationException">The library is missing, unpatched or fails to load; the message says which and what to run.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_ready) return;
            if (OperatingSystem.IsLinux())
            {
                var lib = LibraryPath;
                if (!File.Exists(lib))
                    throw new InvalidOperationException($"{lib}: TorchSharp's native library is missing; build the project that references TorchSharp-cpu (dotnet build) so it is copied beside the program.");
                if (!IsPatched(lib))
                    throw new InvalidOperationException($"{lib}: not fixed for this libstdc++ (it needs GLIBCXX_3.4.32); run scripts/setup, then rebuild so the TorchSharpDebianFix build step patches it.");
            }
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or InvalidOperationException)
            {
                throw new InvalidOperationException($"{LibraryPath}: TorchSharp failed to load ({e.GetBaseException().Message.Split('\n')[0]})", e);
            }
            _ready = true;
        }
    }

    /// <summary>
    /// True when <paramref name="library"/> links the shim (<see cref="ShimName"/>) and the shim is
    /// beside it, i.e. the build's fix has been applied to this copy.
    /// </summary>
    public static bool IsPatched(string library)
    {
        var dir = Path.GetDirectoryName(library) ?? ".";
        if (!File.Exists(Path.Combine(dir, ShimName))) return false;
        try { return NeededLibraries(File.ReadAllBytes(library)).Contains(ShimName); }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or IndexOutOfRangeException) { return false; }
    }

    // DT_NEEDED entries of a 64-bit little-endian ELF file, read from its .dynamic section header.
    private static List<string> NeededLibraries(byte[] b)
    {
        var needed = new List<string>();
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[4] != 2 || b[5] != 1) return needed;
        int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x3A));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x3C));
        for (var i = 0; i < shnum; i++)
        {
            var sh = shoff + i * shentsize;
            if (BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(sh + 4)) != 6) continue; // SHT_DYNAMIC
            int off = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(sh + 24));
            int size = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(sh + 32));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(sh + 40));
            int strOff = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(shoff + link * shentsize + 24));
            for (var d = off; d + 16 <= off + size; d += 16)
            {
                var tag = BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(d));
                if (tag == 0) break;
                if (tag != 1) continue; // DT_NEEDED
                var s = strOff + (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(d + 8));
                var e = Array.IndexOf(b, (byte)0, s);
                needed.Add(Encoding.ASCII.GetString(b, s, e - s));
            }
        }
        return needed;
    }
}
