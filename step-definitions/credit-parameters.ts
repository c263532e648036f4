// Parameter types of the 信用修复 steps: kinds, roles, offices, kinds of market entity, sample files.
import { defineParameterType } from '@cucumber/cucumber';
import { KIND, ROLE, sampleFile, SUBJECT_KIND } from '../features/support/tasks/credit-repair.js';

defineParameterType({ name: 'creditKind', regexp: new RegExp(Object.keys(KIND).join('|')), useForSnippets: false });
defineParameterType({ name: 'role', regexp: new RegExp(Object.keys(ROLE).join('|')), useForSnippets: false });
defineParameterType({ name: 'office', regexp: /[\u4e00-\u9fa5]{2,5}区市场监督管理局[\u4e00-\u9fa5]{1,5}监管所/, useForSnippets: false });
defineParameterType({ name: 'bureau', regexp: /[\u4e00-\u9fa5]{2,5}区市场监督管理局/, useForSnippets: false });
defineParameterType({
  name: 'subjectKind',
  regexp: /company|individual business|farmers' cooperative/,
  transformer: (text: string) => SUBJECT_KIND[text as keyof typeof SUBJECT_KIND],
  useForSnippets: false,
});
defineParameterType({ name: 'labels', regexp: /[\u4e00-\u9fa5、]+(?:, [\u4e00-\u9fa5、]+)*/, transformer: (text: string) => text.split(', '), useForSnippets: false });
defineParameterType({
  name: 'sampleFile',
  regexp: /a text file (\S+)|a program renamed (\S+)|a PDF of (\d+) KB (\S+)|a PDF (\S+)/,
  transformer: (text?: string, program?: string, kb?: string, bigPdf?: string, pdf?: string) => {
    if (text) return sampleFile('text', text, 600);
    if (program) return sampleFile('program', program, 4096);
    if (kb && bigPdf) return sampleFile('pdf', bigPdf, Number(kb) * 1024);
    return sampleFile('pdf', pdf!, 4096);
  },
  useForSnippets: false,
});
