// Unit tests run in Node on tfjs's pure-JS CPU backend (no native binaries on this machine).
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
await tf.ready();
