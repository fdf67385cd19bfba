using Akka.Actor;
using Akka.Serialization;
using Vigil.Cluster.Messages;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Serialization;

/// <summary>
/// Binary serializer for every Vigil message that crosses nodes or is persisted. The manifest is a
/// short stable code, never a .NET type name, so renaming a class cannot break replay of stored
/// snapshots. Inference requests and results use the cluster's wire frames (<see cref="FrameCodec"/>).
/// </summary>
public sealed class VigilSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <inheritdoc />
    public override int Identifier => 7341;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        PatientReading => "R",
        ReadingDone => "D",
        PatientSnapshot => "S1",
        GetPatientState => "GS",
        PatientState => "PS",
        ClientHello => "CH",
        Demand => "DM",
        InferWork => "IW",
        InferDone => "ID",
        ClusterStatusQuery => "CQ",
        NodeStatusQuery => "NQ",
        StatusJson => "SJ",
        LeaveNode => "LN",
        LeaveAnswer => "LA",
        _ => throw new ArgumentException($"VigilSerializer cannot serialize {o.GetType()}"),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        switch (obj)
        {
            case InferWork w: return FrameCodec.EncodeRequests(w.Requests);
            case InferDone d: return FrameCodec.EncodeResults(d.Results);
        }
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            switch (obj)
            {
                case PatientReading r: w.Write(r.PatientId); w.Write(r.Seq); Bytes(w, r.Payload); break;
                case ReadingDone d: w.Write(d.PatientId); w.Write(d.Seq); w.Write(d.Node); w.Write(d.Output is not null); if (d.Output is not null) Bytes(w, d.Output); break;
                case PatientSnapshot s:
                    w.Write(s.LastSeq); Bytes(w, s.State); w.Write(s.Outputs.Count);
                    foreach (var (seq, output) in s.Outputs) { w.Write(seq); Bytes(w, output); }
                    break;
                case GetPatientState g: w.Write(g.PatientId); break;
                case PatientState p: w.Write(p.PatientId); w.Write(p.LastSeq); w.Write(p.SnapshotSeq); Bytes(w, p.State); break;
                case ClientHello or ClusterStatusQuery or NodeStatusQuery: break;
                case Demand m: w.Write(m.Model); w.Write(m.Version); w.Write(m.Credits); break;
                case StatusJson j: w.Write(j.Json); break;
                case LeaveNode l: w.Write(l.Node); break;
                case LeaveAnswer a: w.Write(a.Ok); w.Write(a.Message); break;
                default: throw new ArgumentException($"VigilSerializer cannot serialize {obj.GetType()}");
            }
        }
        return ms.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case "IW": return new InferWork(FrameCodec.DecodeRequests(bytes));
            case "ID": return new InferDone(FrameCodec.DecodeResults(bytes));
            case "CH": return ClientHello.Instance;
            case "CQ": return ClusterStatusQuery.Instance;
            case "NQ": return NodeStatusQuery.Instance;
        }
        using var r = new BinaryReader(new MemoryStream(bytes));
        return manifest switch
        {
            "R" => new PatientReading(r.ReadString(), r.ReadInt64(), ReadBytes(r)),
            "D" => new ReadingDone(r.ReadString(), r.ReadInt64(), r.ReadString(), r.ReadBoolean() ? ReadBytes(r) : null),
            "S1" => ReadSnapshot(r),
            "GS" => new GetPatientState(r.ReadString()),
            "PS" => new PatientState(r.ReadString(), r.ReadInt64(), r.ReadInt64(), ReadBytes(r)),
            "DM" => new Demand(r.ReadString(), r.ReadString(), r.ReadInt32()),
            "SJ" => new StatusJson(r.ReadString()),
            "LN" => new LeaveNode(r.ReadString()),
            "LA" => new LeaveAnswer(r.ReadBoolean(), r.ReadString()),
            _ => throw new System.Runtime.Serialization.SerializationException($"VigilSerializer: unknown manifest '{manifest}'"),
        };
    }

    private static PatientSnapshot ReadSnapshot(BinaryReader r)
    {
        long last = r.ReadInt64();
        var state = ReadBytes(r);
        int n = r.ReadInt32();
        var outputs = new List<KeyValuePair<long, byte[]>>(n);
        for (int i = 0; i < n; i++) outputs.Add(new(r.ReadInt64(), ReadBytes(r)));
        return new PatientSnapshot(last, state, outputs);
    }

    private static void Bytes(BinaryWriter w, byte[] b) { w.Write(b.Length); w.Write(b); }

    private static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(r.ReadInt32());
}
