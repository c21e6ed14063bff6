// The couple prompts catalog (GET /api/prompt-catalog), loaded once and kept, for the prompts view
// and for captioning a revealed pair's answers with the question they answer.
import { request } from './http.js';

export const promptCatalog = {
  promise: null,
  list: [],
  load() {
    if (!this.promise) {
      this.promise = request('GET', '/api/prompt-catalog').then((data) => {
        this.list = data && Array.isArray(data.prompts) ? data.prompts : [];
        return this.list;
      }).catch((e) => { this.promise = null; throw e; });
    }
    return this.promise;
  },
  find(id) { return this.list.find((p) => p.id === id) || null; },
  /** The question a pair's excerpt answered: a pair share's title is its catalog prompt's title. */
  questionText(title, questionId) {
    const prompt = this.list.find((p) => p.title === title);
    const q = prompt && prompt.questions.find((x) => x.id === questionId);
    return q ? q.text : null;
  },
};
