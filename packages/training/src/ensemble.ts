import { chmod, copyFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Calibration, initBackend, KINDS, loadDigitDataset, loadLayersModelFromDir, modelInputShape, modelOutputWidth, readCalibration, type RecognizerKind, saveLayersModel, splitIndices, tf, writeCalibration } from '@metertwin/recognizer';
import { fitHeldOutCalibration } from './fit-calibration.js';
import { type JunkReport, scoreJunk, scoreSplit, type SplitReport } from './score.js';
import { headline } from './train.js';

/**
 * One layers model whose output is the mean of its members' softmax outputs. Members trained apart
 * make different mistakes on meters none of them has seen, so where they disagree the averaged
 * distribution spreads and the confidence drops: the ensemble is both more accurate and more honest.
 * Saved as an ordinary model.json + weights.bin, so every loader (and the services) reads it unchanged.
 */
export async function combineModels(members: tf.LayersModel[], name: string): Promise<tf.LayersModel> {
  if (members.length < 2) throw new Error('an ensemble needs at least two models');
  const shape = JSON.stringify(members[0]!.inputs[0]!.shape);
  const width = modelOutputWidth(members[0]!);
  const input = tf.input({ shape: members[0]!.inputs[0]!.shape.slice(1) as number[], name: `${name}_input` });
  const outputs: tf.SymbolicTensor[] = [];
  for (const [k, member] of members.entries()) {
    if (JSON.stringify(member.inputs[0]!.shape) !== shape || modelOutputWidth(member) !== width) {
      throw new Error(
        `member ${k + 1} takes ${JSON.stringify(member.inputs[0]!.shape)} → ${modelOutputWidth(member)}, the first ${shape} → ${width}`,
      );
    }
    // Layer names must be unique in the combined model: prefix each member's.
    const topology = JSON.parse(JSON.stringify(member.toJSON(null, false))) as {
      config: { name: string; layers: Array<{ config: { name: string } }> };
    };
    const prefix = `member${k + 1}`;
    topology.config.name = prefix;
    for (const layer of topology.config.layers) layer.config.name = `${prefix}_${layer.config.name}`;
    const copy = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
    copy.setWeights(member.getWeights());
    outputs.push(copy.apply(input) as tf.SymbolicTensor);
  }
  const mean = tf.layers.average({ name: `${name}_mean` }).apply(outputs) as tf.SymbolicTensor;
  return tf.model({ name, inputs: input, outputs: mean });
}

export interface EnsembleReport {
  kind: RecognizerKind;
  version: string;
  createdAt: string;
  command: string;
  members: Array<{
    dir: string;
    version: string;
    command: string | null;
    val: Record<string, number> | null;
  }>;
  model: { architecture: string; params: number; weightsBytes: number };
  calibration: Calibration;
  val: SplitReport;
  junk: JunkReport;
}

interface MemberReport {
  command?: string;
  data?: { calibration?: { meters?: string[] } };
  calibration?: { head?: string };
}

/**
 * Combine trained models (`train` output folders) into one, fit its temperature on the train meters
 * the members held out (all members must have held out the same ones), score it on val and on the
 * junk set, and save model, calibration.json and report.json to `outDir`.
 */
export async function ensembleRecognizer(
  kind: RecognizerKind,
  options: {
    memberDirs: string[];
    dataDir?: string;
    outDir: string;
    /** Test-time horizontal shifts saved with the ensemble (default [-1, 0, 1]: +0.7 points tolerant on val, see the model README). */
    shifts?: number[];
    log?: (line: string) => void;
  },
): Promise<EnsembleReport> {
  const log = options.log ?? (() => {});
  const shifts = options.shifts ?? [-1, 0, 1];
  await initBackend();
  const spec = KINDS[kind];
  const dataDir = path.resolve(options.dataDir ?? spec.defaultData);
  const loaded = await Promise.all(options.memberDirs.map((d) => loadLayersModelFromDir(d)));
  const reports = await Promise.all(
    options.memberDirs.map(async (d): Promise<MemberReport> => {
      const file = path.join(d, 'report.json');
      return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as MemberReport) : {};
    }),
  );
  for (const [k, d] of options.memberDirs.entries()) {
    const { head } = await readCalibration(d);
    if (head !== 'tenths100') throw new Error(`${d}: only tenths100 models can be combined (head ${head})`);
    log(`member ${k + 1}: ${d} (version ${loaded[k]!.version})`);
  }
  const heldOut = reports.map((r) => JSON.stringify([...(r.data?.calibration?.meters ?? [])].sort()));
  if (new Set(heldOut).size > 1)
    throw new Error(
      `the members held out different calibration meters: ${[...new Set(heldOut)].join(' vs ')}`,
    );
  const calibrationMeters = JSON.parse(heldOut[0] ?? '[]') as string[];

  const model = await combineModels(
    loaded.map((m) => m.model),
    kind,
  );
  const input = modelInputShape(model);
  const dataset = await loadDigitDataset(dataDir, {
    ...spec.scan,
    input,
    filter: (s) => s.split === 'val' || calibrationMeters.includes(s.meter),
  });
  let calibration: Calibration = {
    temperature: 1,
    fittedOn: 'none: the members held out no train meters',
    n: 0,
    brier: NaN,
    head: 'tenths100',
    shifts,
  };
  const calib = splitIndices(dataset, 'train');
  if (calib.length > 0) {
    calibration = await fitHeldOutCalibration(model, dataset, calib, {
      meters: calibrationMeters,
      augment: spec.calibrateAugmented ? spec.augment : undefined,
      shifts,
      log,
    });
  }
  const inference = { temperature: calibration.temperature, shifts };
  const val = await scoreSplit(kind, model, dataset, splitIndices(dataset, 'val'), inference);
  const junk = await scoreJunk(model, inference);
  const saved = await saveLayersModel(model, options.outDir);
  await writeCalibration(options.outDir, calibration);
  const memberVal = async (m: tf.LayersModel, dir: string) => {
    const { temperature, shifts: memberShifts } = await readCalibration(dir);
    return headline(
      await scoreSplit(kind, m, dataset, splitIndices(dataset, 'val'), { temperature, shifts: memberShifts }),
    );
  };
  const report: EnsembleReport = {
    kind,
    version: saved.version,
    createdAt: new Date().toISOString(),
    command:
      `pnpm -s metertwin ensemble ${kind}` +
      options.memberDirs.map((d) => ` --member ${path.relative(process.cwd(), d)}`).join('') +
      (options.dataDir ? ` --data ${path.relative(process.cwd(), dataDir)}` : '') +
      (options.shifts ? ` --shifts=${shifts.join(',')}` : '') +
      ` --out ${path.relative(process.cwd(), options.outDir)}`,
    members: await Promise.all(
      loaded.map(async (m, k) => ({
        dir: path.basename(options.memberDirs[k]!),
        version: m.version,
        command: reports[k]!.command ?? null,
        val: dataset.samples.some((s) => s.split === 'val')
          ? await memberVal(m.model, options.memberDirs[k]!)
          : null,
      })),
    ),
    model: {
      architecture: `mean of the softmax outputs of ${loaded.length} CNNs (each: see the members' reports), averaged over horizontal shifts of ${shifts.join(', ')} px`,
      params: model.countParams(),
      weightsBytes: saved.weightsBytes,
    },
    calibration,
    val,
    junk,
  };
  await writeFile(path.join(options.outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  const license = path.join(dataDir, 'LICENSE');
  if (existsSync(license)) {
    await copyFile(license, path.join(options.outDir, 'LICENSE'));
    await chmod(path.join(options.outDir, 'LICENSE'), 0o644);
  }
  for (const m of loaded) m.model.dispose();
  model.dispose();
  return report;
}
