export {
  CLASSIFIER_VERSION,
  PARAM_GRID,
  VALIDATION_FOLDS,
  classifyText,
  decideScam,
  trainScamClassifier,
  type Classification,
  type NaiveBayesParams,
  type ScamDecision,
  type SourceChoice,
  type ScamClassifierModel,
} from './classifier.js';
export {
  MODEL_FILE,
  SHIPPED_MODEL_PATH,
  loadScamClassifier,
  saveScamClassifier,
  shippedScamClassifier,
} from './model-file.js';
export { loadLabelledRows, type LabelledRow } from './dataset.js';
export {
  evaluateScamClassifier,
  SCORERS,
  formatEvaluation,
  scores,
  type ClassScores,
  type Evaluation,
} from './evaluate.js';
export {
  predictNaiveBayes,
  textFeatures,
  trainNaiveBayes,
  type NaiveBayesModel,
} from './naive-bayes.js';
export { COFACTS_CATEGORIES, readCofactsLabel, type CofactsReading } from './cofacts-labels.js';
export { SCAM_TYPE_KEYWORDS, classifyScamType, type ScamTypeResult } from './scam-type.js';
