using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using OpenCvSharp;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Infrared.Thermal;
using Vigil.Tests.Common;

namespace Vigil.Infrared.Tests.Thermal;

public sealed class ThermalSourceTests : TestKit, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-thermal-").FullName;
    private readonly ThermalFaceSequence _sequence = new(new ThermalFaceScenario { Seed = 3, DurationSeconds = 2, Fps = 10, Width = 64, Height = 48 });

    public ThermalSourceTests() : base(AkkaTestConfig.Quiet) { }

    void IDisposable.Dispose() => Directory.Delete(_dir, recursive: true);

    private List<ThermalFrame> Collect(Source<ThermalFrame, Akka.NotUsed> source) =>
        source.RunWith(Sink.Seq<ThermalFrame>(), Sys.Materializer()).Result.ToList();

    private Exception Failure(Source<ThermalFrame, Akka.NotUsed> source) =>
        Assert.ThrowsAny<Exception>(() => source.RunWith(Sink.Seq<ThermalFrame>(), Sys.Materializer()).Wait(TimeSpan.FromSeconds(10))).GetBaseException();

    [Fact]
    public void Camera_card_converts_counts_and_reads_its_json()
    {
        var card = ThermalCameraCard.Parse("""{ "id": "lepton", "gain": 0.01, "offset": 0, "unit": "kelvin" }""", "card.json");
        Assert.Equal(36.85, card.ToCelsius(31000), 6);
        Assert.Equal((ushort)31000, card.ToCount(36.85));
        var f = ThermalCameraCard.Parse("""{ "id": "f", "gain": 0.1, "offset": 32, "unit": "fahrenheit" }""", "f.json");
        Assert.Equal(100.0, f.ToCelsius(1800), 6);
        Assert.Equal(card, ThermalCameraCard.Parse(card.ToJson(), "round-trip"));
    }

    [Theory]
    [InlineData("""{ "id": "x", "offset": 0, "unit": "kelvin" }""", "lacks 'gain'")]
    [InlineData("""{ "id": "x", "gain": 0.01, "offset": 0, "unit": "rankine" }""", "'unit'")]
    [InlineData("""{ "id": "x", "gain": 0, "offset": 0, "unit": "kelvin" }""", "'gain'")]
    [InlineData("""{ "id": "x", "gain": 0.01, "offset": 0, "unit": "kelvin", "emissivity": 0.98 }""", "not valid JSON")]
    [InlineData("""{ "id": "x", "gain": 0.01, """, "not valid JSON")]
    public void Malformed_camera_card_names_the_file(string json, string fault)
    {
        var path = Path.Combine(_dir, "bad-card.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<InvalidDataException>(() => ThermalCameraCard.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(fault, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Raw_y16_round_trips_counts_temperatures_and_timestamps()
    {
        var frames = _sequence.Frames().ToList();
        var path = Path.Combine(_dir, "seq.y16");
        Assert.Equal(20, ThermalFileWriter.WriteRawY16(frames, path));
        var read = Collect(ThermalSources.RawY16(path, 64, 48, 10, ThermalCameraCard.CentiKelvin));
        Assert.Equal(20, read.Count);
        Assert.Equal(frames[7].Raw, read[7].Raw);
        Assert.Equal(frames[7].Celsius, read[7].Celsius);
        Assert.Equal(TimeSpan.FromSeconds(0.7), read[7].Timestamp);
        Assert.True(read[7].Radiometric);
    }

    [Fact]
    public void Raw_y16_of_the_wrong_size_fails_with_one_line_naming_the_file()
    {
        var path = Path.Combine(_dir, "short.y16");
        File.WriteAllBytes(path, new byte[64 * 48 * 2 + 3]);
        var e = Failure(ThermalSources.RawY16(path, 64, 48, 10, ThermalCameraCard.CentiKelvin));
        Assert.IsType<InvalidDataException>(e);
        Assert.Equal($"{path}: 6147 bytes is not a whole number of 64×48 16-bit frames (6144 bytes each)", e.Message);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".tiff")]
    public void Sixteen_bit_image_folder_round_trips(string extension)
    {
        var frames = _sequence.Frames().ToList();
        var folder = Path.Combine(_dir, "frames" + extension);
        ThermalFileWriter.WriteImages(frames, folder, extension);
        var read = Collect(ThermalSources.RadiometricFolder(folder, 10, ThermalCameraCard.CentiKelvin));
        Assert.Equal(20, read.Count);
        Assert.Equal(frames[19].Raw, read[19].Raw);
        Assert.Equal(frames[19].Celsius, read[19].Celsius);
        Assert.Equal(TimeSpan.FromSeconds(1.9), read[19].Timestamp);
    }

    [Fact]
    public void Eight_bit_or_corrupt_image_in_a_radiometric_folder_names_the_file()
    {
        var folder = Path.Combine(_dir, "mixed");
        ThermalFileWriter.WriteImages(_sequence.Frames().Take(2), folder);
        var eight = Path.Combine(folder, "frame_000002.png");
        using (var m = new Mat(48, 64, MatType.CV_8UC1, Scalar.All(100))) Cv2.ImWrite(eight, m);
        var e = Failure(ThermalSources.RadiometricFolder(folder, 10, ThermalCameraCard.CentiKelvin));
        Assert.Equal($"{eight}: is 1-channel 8-bit, expected a 1-channel 16-bit radiometric image (8-bit palette images need the palette source)", e.Message);
        File.WriteAllText(eight, "not an image");
        e = Failure(ThermalSources.RadiometricFolder(folder, 10, ThermalCameraCard.CentiKelvin));
        Assert.Equal($"{eight}: not a decodable image", e.Message);
    }

    [Fact]
    public void Palette_images_give_relative_temperatures_flagged_not_radiometric()
    {
        var folder = Path.Combine(_dir, "palette");
        Directory.CreateDirectory(folder);
        using (var ramp = new Mat(8, 256, MatType.CV_8UC1))
        {
            for (var x = 0; x < 256; x++) for (var y = 0; y < 8; y++) ramp.Set(y, x, (byte)x);
            using var colour = new Mat();
            Cv2.ApplyColorMap(ramp, colour, ColormapTypes.Inferno);
            Cv2.ImWrite(Path.Combine(folder, "a.png"), colour);
        }
        var card = ThermalCameraCard.CentiKelvin with { PaletteMinCelsius = 20, PaletteMaxCelsius = 40 };
        var frame = Assert.Single(Collect(ThermalSources.PaletteFolder(folder, 5, ThermalPalette.FromName("inferno"), card)));
        Assert.False(frame.Radiometric);
        Assert.Null(frame.Raw);
        Assert.InRange(frame.At(0, 4), 19.9, 20.5);
        Assert.InRange(frame.At(255, 4), 39.5, 40.1);
        Assert.InRange(frame.At(128, 4), 29.3, 30.7);
        for (var x = 16; x < 256; x += 16) Assert.True(frame.At(x, 4) > frame.At(x - 16, 4), $"not increasing at {x}");
    }

    [Fact]
    public void Video_frames_are_decoded_with_their_timestamps()
    {
        var path = Path.Combine(_dir, "clip.avi");
        using (var writer = new VideoWriter(path, FourCC.MJPG, 5, new OpenCvSharp.Size(64, 48)))
        {
            Assert.True(writer.IsOpened(), "OpenCV cannot write MJPG here");
            for (var i = 0; i < 6; i++)
            {
                using var grey = new Mat(48, 64, MatType.CV_8UC1, Scalar.All(40 * i));
                using var bgr = new Mat();
                Cv2.CvtColor(grey, bgr, ColorConversionCodes.GRAY2BGR);
                writer.Write(bgr);
            }
        }
        var frames = Collect(ThermalSources.Video(path, ThermalPalette.FromName("white-hot"), ThermalCameraCard.CentiKelvin));
        Assert.Equal(6, frames.Count);
        Assert.Equal(TimeSpan.FromSeconds(1.0), frames[5].Timestamp);
        Assert.All(frames, f => Assert.False(f.Radiometric));
        for (var i = 1; i < 6; i++) Assert.True(frames[i].At(30, 20) > frames[i - 1].At(30, 20) + 2);
    }

    [Fact]
    public void Not_a_video_names_the_file()
    {
        var path = Path.Combine(_dir, "fake.avi");
        File.WriteAllText(path, "this is text");
        var e = Failure(ThermalSources.Video(path, ThermalPalette.FromName("white-hot"), ThermalCameraCard.CentiKelvin));
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void File_sources_backpressure_reading_one_frame_per_demand()
    {
        var path = Path.Combine(_dir, "bp.y16");
        ThermalFileWriter.WriteRawY16(_sequence.Frames(), path);
        var probe = ThermalSources.RawY16(path, 64, 48, 10, ThermalCameraCard.CentiKelvin)
            .Select(f => f.Index)
            .RunWith(this.SinkProbe<long>(), Sys.Materializer());
        probe.Request(2).ExpectNext(0L, 1L);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(18);
        for (var i = 2; i < 20; i++) probe.ExpectNext((long)i);
        probe.ExpectComplete();
    }
}
