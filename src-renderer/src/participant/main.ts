import { mount } from 'svelte';
import Participant from './Participant.svelte';
// The page ships its fonts like the app (served by the participants' listener itself).
import '@fontsource-variable/inter';
import '../styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('The #app element is missing from participant.html');

export default mount(Participant, { target });
