// How an answer of each step kind reads as plain text (conflicts, sharing).

export function isAnswered(value) {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export function scaleBounds(step) {
  const min = Number.isFinite(Number(step.min)) ? Number(step.min) : 0;
  const max = Number.isFinite(Number(step.max)) ? Number(step.max) : 10;
  return { min, max: max > min ? max : min + 10 };
}

export function formatAnswer(step, value, partsById = new Map()) {
  if (!isAnswered(value)) return '';
  switch (step && step.kind) {
    case 'scale': {
      const { min, max } = scaleBounds(step);
      const lo = step.minLabel ? ` (${step.minLabel})` : '';
      const hi = step.maxLabel ? ` (${step.maxLabel})` : '';
      return `${value} on a scale from ${min}${lo} to ${max}${hi}`;
    }
    case 'emotions':
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'part': {
      if (value && typeof value === 'object' && typeof value.name === 'string') return `Part: ${value.name}`;
      const part = partsById.get(value);
      return part ? `Part: ${part.name}` : 'A part from the parts map';
    }
    default:
      return String(value);
  }
}
