// The built-in synthetic lessons as plain data (no tfjs): ids, names, and whether a single
// frame can solve each one, which is what the lesson turns on.

export const TASK_IDS = ['order-direction', 'order-reverse', 'appearance-shape', 'motion-speed', 'rotation'] as const;
export type TaskId = (typeof TASK_IDS)[number];

export interface TaskInfo {
  id: TaskId;
  name: string;
  classes: readonly string[];
  /** Can one frame, on its own, tell the classes apart? */
  oneFrameSolves: boolean;
  description: string;
}

export const TASK_INFO: Record<TaskId, TaskInfo> = {
  'order-direction': {
    id: 'order-direction',
    name: 'Direction (order only)',
    classes: ['moves left', 'moves right'],
    oneFrameSolves: false,
    description: 'An object moves left or right. Both classes use the same set of frames; only their order differs.',
  },
  'order-reverse': {
    id: 'order-reverse',
    name: 'Action vs its reverse',
    classes: ['reach and grasp', 'release and withdraw'],
    oneFrameSolves: false,
    description: 'A hand reaches and closes, or opens and withdraws: the same frames played forwards or backwards.',
  },
  'appearance-shape': {
    id: 'appearance-shape',
    name: 'Shape (appearance)',
    classes: ['square', 'disc'],
    oneFrameSolves: true,
    description: 'The class is the moving object’s shape and colour family (warm squares, cool discs): any single frame shows it.',
  },
  'motion-speed': {
    id: 'motion-speed',
    name: 'Speed',
    classes: ['slow', 'fast'],
    oneFrameSolves: false,
    description: 'The same object moves slowly or quickly; only the displacement between frames tells.',
  },
  rotation: {
    id: 'rotation',
    name: 'Rotation',
    classes: ['clockwise', 'counter-clockwise'],
    oneFrameSolves: false,
    description: 'A bar spins clockwise or counter-clockwise through the same set of angles.',
  },
};

export const isTaskId = (s: string): s is TaskId => (TASK_IDS as readonly string[]).includes(s);
