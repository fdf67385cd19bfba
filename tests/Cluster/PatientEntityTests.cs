using Akka.Actor;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Messages;
using Vigil.Cluster.Node;
using Vigil.Cluster.Sharding;

namespace Vigil.Cluster.Tests;

/// <summary>Patient entities on one in-process node with the embedded SQLite journal (no broker).</summary>
public sealed class PatientEntityTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static byte[] Payload(int patient, long seq) => BitConverter.GetBytes(patient * 1_000_003L + seq * 7919);

    private static ClusterConfig Config(string db, int port) => ClusterConfigLoader.Parse($$"""
        vigil {
          node { name = solo, port = {{port}}, roles = [ingest] }
          persistence { backend = sqlite, connection-string = "Data Source={{db}}", snapshot-every = 4, snapshot-interval = 100ms }
          patients { shards = 10 }
        }
        """);

    [Fact]
    public async Task Readings_OutOfOrderAndRepeated_FoldedOnceInOrderAndStateSurvivesRestart()
    {
        string db = Path.Combine(Path.GetTempPath(), $"vigil-entity-{Guid.NewGuid():N}.db");
        try
        {
            ulong digest = SequenceChecker.InitialDigest;
            var expected = new List<ulong>();
            for (long s = 0; s < 14; s++) expected.Add(digest = SequenceChecker.Fold(digest, s, Payload(1, s)));

            var node = await VigilNode.StartAsync(Config(db, TestCluster.FreePort()), TextWriter.Null, startEdge: false);
            ReadingDone[] first;
            try
            {
                // Window 3 arrives before 2, and window 1 twice: each is folded once, in order.
                long[] order = [0, 1, 3, 2, 1, 4, 5, 6, 7, 8, 9];
                var asks = order.Select(s => node.Patients.Ask<ReadingDone>(new PatientReading("p1", s, Payload(1, s)), Safety)).ToList();
                first = await Task.WhenAll(asks);
                foreach (var done in first)
                {
                    var (count, _, inOrder, d) = SequenceChecker.ReadOutput(done.Output!);
                    Assert.Equal(done.Seq + 1, count);
                    Assert.True(inOrder, $"window {done.Seq} folded out of order");
                    Assert.Equal(expected[(int)done.Seq], d);
                    Assert.Equal("solo", done.Node);
                }
                // Both answers for window 1 carry the same output (it was folded once).
                Assert.Equal(first[1].Output, first[4].Output);
                var state = await node.Patients.Ask<PatientState>(new GetPatientState("p1"), Safety);
                Assert.Equal(9, state.LastSeq);
                Assert.Equal(9, state.SnapshotSeq); // answers came only after a snapshot covered them
                // The node put its SQLite database in write-ahead-log mode (one sync per snapshot commit).
                using (var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}"))
                {
                    check.Open();
                    using var pragma = check.CreateCommand();
                    pragma.CommandText = "PRAGMA journal_mode;";
                    Assert.Equal("wal", pragma.ExecuteScalar() as string);
                }
            }
            finally { await node.LeaveAsync().WaitAsync(Safety); }

            // A new node on the same database: the patient resumes from its snapshot, not from scratch.
            var again = await VigilNode.StartAsync(Config(db, TestCluster.FreePort()), TextWriter.Null, startEdge: false);
            try
            {
                var state = await again.Patients.Ask<PatientState>(new GetPatientState("p1"), Safety);
                Assert.Equal(9, state.LastSeq);
                Assert.Equal(expected[9], SequenceChecker.ReadSnapshot(state.State).Digest);
                var redelivered = await again.Patients.Ask<ReadingDone>(new PatientReading("p1", 8, Payload(1, 8)), Safety);
                Assert.Equal(first.Single(d => d.Seq == 8).Output, redelivered.Output);
                var next = await Task.WhenAll(Enumerable.Range(10, 4).Select(s => again.Patients.Ask<ReadingDone>(new PatientReading("p1", s, Payload(1, s)), Safety)));
                var last = SequenceChecker.ReadOutput(next.Single(d => d.Seq == 13).Output!);
                Assert.Equal(14, last.Count);
                Assert.Equal(expected[13], last.Digest);
            }
            finally { await again.LeaveAsync().WaitAsync(Safety); }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(db);
        }
    }
}
