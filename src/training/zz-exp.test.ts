import { it } from 'vitest';
import { syntheticData } from './datasets';
import { TrainLoop } from './train-loop';
import { tinyAverage, tinyConv3d } from './test-models';
it('exp', async () => {
  for (const [name, b] of [['conv3d', tinyConv3d], ['avg', tinyAverage]] as const) {
    for (const task of ['order-direction', 'appearance-shape'] as const) {
    const t0 = performance.now();
    const data = syntheticData({ task, seed: 1, numFrames: 8, height: 16, width: 16, trainPerClass: 48, valPerClass: 16 });
    const accs: string[] = [];
    const l = new TrainLoop({ build: () => b({ numFrames: 8, height: 16, width: 16, channels: 3, numClasses: 2 }), data, config: { optimizer: 'adam', learningRate: 0.003, batchSize: 8, epochs: 8, seed: 1 }, callbacks: { onEpoch: (e) => accs.push(e.valAcc.toFixed(2)) } });
    await l.play();
    console.log(name, task, accs.join(' '), Math.round(performance.now() - t0), 'ms');
    await l.dispose();
    }
  }
});
