// Node side of `vigil bench models`: runs one model with onnxruntime-node 1.30.0 (Node's official
// binding, the benchmark peer; Vigil runs Microsoft.ML.OnnxRuntime 1.32.0 from NuGet) and times rounds of back-to-back inferences
// when asked, so the caller can alternate its own rounds with these under the same load.
// Usage: node bench.js SPEC.json, then on stdin one command per line:
//   "round SECONDS" -> prints {"inferences_per_s": x, "inferences_per_cpu_s": y}   "quit" -> exits
// (per CPU second = inferences / process user+system CPU time: steadier on a busy machine)
// SPEC: { model, intraOpThreads, interOpThreads, enableCpuMemArena, enableMemPattern, allowSpinning, warmup,
//         inputs: [{ name, type: "float32"|"int64", dims: [..], file?: raw little-endian path, values?: [..] }] }
'use strict';
const fs = require('fs');
const readline = require('readline');
const ort = require('onnxruntime-node');

function makeTensor(input) {
  const count = input.dims.reduce((a, b) => a * b, 1);
  if (input.type === 'float32') {
    let data;
    if (input.file) {
      const buf = fs.readFileSync(input.file);
      data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice();
    } else {
      data = Float32Array.from(input.values);
    }
    if (data.length !== count) throw new Error(`${input.name}: ${data.length} values for dims ${input.dims}`);
    return new ort.Tensor('float32', data, input.dims);
  }
  if (input.type === 'int64') {
    return new ort.Tensor('int64', BigInt64Array.from(input.values.map((v) => BigInt(v))), input.dims);
  }
  throw new Error(`unsupported input type ${input.type}`);
}

async function round(session, feeds, seconds) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let n = 0;
  let elapsed = 0n;
  do {
    await session.run(feeds);
    n++;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  const cpu = process.cpuUsage(cpuStart);
  return { inferences_per_s: n / (Number(elapsed) / 1e9), inferences_per_cpu_s: n / ((cpu.user + cpu.system) / 1e6) };
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, {
    intraOpNumThreads: spec.intraOpThreads,
    interOpNumThreads: spec.interOpThreads,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // The same settings as Vigil's side (its defaults): arena and memory pattern on, no spinning.
    enableCpuMemArena: spec.enableCpuMemArena !== false,
    enableMemPattern: spec.enableMemPattern !== false,
    // Flat config keys: the binding passes them to AddSessionConfigEntry as written.
    extra: {
      'session.intra_op.allow_spinning': spec.allowSpinning ? '1' : '0',
      'session.inter_op.allow_spinning': spec.allowSpinning ? '1' : '0',
    },
    executionProviders: ['cpu'],
    logSeverityLevel: 3, // errors only, as Vigil's OrtEnv
  });
  const feeds = {};
  for (const input of spec.inputs) feeds[input.name] = makeTensor(input);
  for (let i = 0; i < spec.warmup; i++) await session.run(feeds);
  const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
  say({
    ready: true,
    node_version: process.version,
    onnxruntime_node_version: require('onnxruntime-node/package.json').version,
  });
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, arg] = line.trim().split(/\s+/);
    if (command === 'round') say(await round(session, feeds, Number(arg)));
    else if (command === 'quit') break;
    else say({ error: `unknown command '${line}'` });
  }
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\n');
  process.exit(1);
});
